import base64

from marketplace.catalogue.models import Category
from tests.factories import delist, listed_product, make_producer


def _id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def test_shop_and_channels(graphql, channel):
    data = graphql("""{
      shop { name defaultCountry { code country } channelCurrencies languages { code language } }
      channels { id slug name currencyCode isActive defaultCountry { code } }
      channel(slug: "default-channel") { slug currencyCode }
      unknown: channel(slug: "nowhere") { slug }
    }""")

    assert "errors" not in data
    assert data["data"]["shop"] == {
        "name": channel.name,
        "defaultCountry": {"code": "VN", "country": "Vietnam"},
        "channelCurrencies": ["VND"],
        "languages": [{"code": "VI", "language": "Vietnamese"}, {"code": "EN", "language": "English"}],
    }
    assert data["data"]["channels"] == [
        {
            "id": _id("Channel", channel.pk),
            "slug": "default-channel",
            "name": channel.name,
            "currencyCode": "VND",
            "isActive": True,
            "defaultCountry": {"code": "VN"},
        }
    ]
    assert data["data"]["channel"] == {"slug": "default-channel", "currencyCode": "VND"}
    assert data["data"]["unknown"] is None


def test_categories_and_category(graphql):
    group = Category.objects.create(
        kind="group", scheme="2023", code="I", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    product_set = Category.objects.create(
        kind="product_set", scheme="2023", parent=group, name="Rau, củ, quả, hạt tươi", slug="rau-cu-qua"
    )

    listing = graphql("{ categories(first: 10) { totalCount edges { node { id name slug level parent { slug } } } } }")
    groups = graphql("{ categories(first: 10, level: 0) { edges { node { slug } } } }")
    by_slug = graphql('{ category(slug: "thuc-pham") { name translation(languageCode: EN) { name } } }')
    by_id = graphql("query($id: ID!) { category(id: $id) { slug } }", {"id": _id("Category", product_set.pk)})

    assert listing["data"]["categories"]["totalCount"] == 2
    assert [e["node"] for e in listing["data"]["categories"]["edges"]] == [
        {
            "id": _id("Category", product_set.pk),
            "name": product_set.name,
            "slug": "rau-cu-qua",
            "level": 1,
            "parent": {"slug": "thuc-pham"},
        },
        {"id": _id("Category", group.pk), "name": "Thực phẩm", "slug": "thuc-pham", "level": 0, "parent": None},
    ]
    assert [e["node"]["slug"] for e in groups["data"]["categories"]["edges"]] == ["thuc-pham"]
    assert by_slug["data"]["category"] == {"name": "Thực phẩm", "translation": {"name": "Food"}}
    assert by_id["data"]["category"] == {"slug": "rau-cu-qua"}


def test_producers_are_those_with_listed_products(graphql):
    selling = listed_product(producer=make_producer(name="HTX Bưởi Tân Triều", phone="0251 3000 000")).producer
    delisted = listed_product()
    delist(delisted)
    make_producer()  # nothing certified

    listing = graphql("{ producers(first: 10) { totalCount edges { node { id name phone kind } } } }")
    found = graphql(
        "query($id: ID!) { producer(id: $id) { name address { line province } } }", {"id": _id("Producer", selling.pk)}
    )
    hidden = graphql("query($id: ID!) { producer(id: $id) { name } }", {"id": _id("Producer", delisted.producer.pk)})

    assert listing["data"]["producers"] == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "id": _id("Producer", selling.pk),
                    "name": "HTX Bưởi Tân Triều",
                    "phone": "0251 3000 000",
                    "kind": "COOPERATIVE",
                }
            }
        ],
    }
    assert found["data"]["producer"] == {
        "name": "HTX Bưởi Tân Triều",
        "address": {"line": "", "province": "Tỉnh Đồng Nai"},
    }
    assert hidden == {"data": {"producer": None}}


def test_categories_page_loads_parents_in_one_query(graphql, django_assert_max_num_queries):
    for code in ("I", "II", "III"):
        group = Category.objects.create(kind="group", scheme="2023", code=code, name=f"Nhóm {code}", slug=f"g-{code}")
        for n in range(5):
            Category.objects.create(
                kind="product_set", scheme="2023", parent=group, name=f"Bộ {n}", slug=f"s-{code}-{n}"
            )

    with django_assert_max_num_queries(2):
        data = graphql("{ categories(first: 100) { edges { node { name parent { name } } } } }")

    assert len(data["data"]["categories"]["edges"]) == 18


def test_the_short_path_of_plain_fields_answers_as_graphql_core_does():
    """`StorefrontExecutionContext` gives the same data and errors as graphql-core, surprises included."""
    import graphene
    from graphql import ExecutionContext, execute, parse

    from storefront_api.core.execution import StorefrontExecutionContext, plain

    class Leaf(graphene.ObjectType):
        name = graphene.String()
        stars = graphene.Int(required=True)

    class Root(graphene.ObjectType):
        class Meta:
            interfaces = (graphene.relay.Node,)

        title = graphene.String(required=True)
        note = graphene.String()
        count = graphene.Int()
        leaf = graphene.Field(Leaf, required=True)
        maybe_leaf = graphene.Field(Leaf)
        leaves = graphene.NonNull(graphene.List(graphene.NonNull(Leaf)))
        loose_leaves = graphene.List(Leaf)
        broken = graphene.String()
        with_info = graphene.String()

        @staticmethod
        @plain
        def resolve_id(root, info):
            return root["pk"]

        @staticmethod
        @plain
        def resolve_broken(root, info):
            raise ValueError("broken on purpose")

        @staticmethod
        def resolve_with_info(root, info):
            return info.field_name

    class Query(graphene.ObjectType):
        roots = graphene.List(Root)

        @staticmethod
        def resolve_roots(root, info):
            good_leaf = {"name": "a", "stars": 4}
            return [
                {
                    "pk": 1,
                    "title": "one",
                    "note": None,
                    "count": 3,
                    "leaf": good_leaf,
                    "maybe_leaf": None,
                    "leaves": [good_leaf, {"name": "b", "stars": 5}],
                    "loose_leaves": [None, {"name": "d", "stars": 3}],
                },
                {
                    "pk": 2,
                    "title": "two",
                    "count": "not a number",
                    "leaf": good_leaf,
                    "leaves": [],
                    "loose_leaves": "not a list",
                },
                {"pk": 3, "title": "three", "leaf": good_leaf, "leaves": [{"name": "c", "stars": None}]},
                {"pk": 4, "title": None, "leaf": good_leaf, "leaves": []},  # a null for a non-null field
            ]

    schema = graphene.Schema(query=Query).graphql_schema
    document = parse(
        "{ roots { id title note count broken withInfo leaf { name stars } maybeLeaf { name }"
        " leaves { name stars } looseLeaves { name stars } } }"
    )
    expected = execute(schema, document, execution_context_class=ExecutionContext)
    short = execute(schema, document, execution_context_class=StorefrontExecutionContext)

    assert short.data == expected.data
    assert [(e.message, e.path) for e in short.errors] == [(e.message, e.path) for e in expected.errors]
    assert len(expected.errors) == 7 and expected.data["roots"][2:] == [None, None]  # every case is reached


def test_fields_with_arguments_take_the_short_path_with_their_arguments_coerced_once(monkeypatch):
    """A field with arguments is resolved with the arguments graphql-core would give it, coerced once per field in
    the document (not once per object), and answers, errors included, as graphql-core does."""
    import graphene
    from graphql import ExecutionContext, execute, parse
    from graphql.execution import values

    from storefront_api.core import execution
    from storefront_api.core.execution import StorefrontExecutionContext

    class Item(graphene.ObjectType):
        label = graphene.String(language=graphene.String(required=True), upper=graphene.Boolean(default_value=False))
        picky = graphene.Int(required=True, size=graphene.Int())

        @staticmethod
        def resolve_label(root, info, language, upper):
            text = f"{root}-{language}"
            return text.upper() if upper else text

        @staticmethod
        def resolve_picky(root, info, size=None):
            if size is None or size > 10:
                raise ValueError("size must be given, at most 10")
            return size * root

    class Query(graphene.ObjectType):
        items = graphene.List(Item)

        @staticmethod
        def resolve_items(root, info):
            return [1, 2, 3]

    schema = graphene.Schema(query=Query).graphql_schema
    document = parse(
        'query($lang: String!, $size: Int) { items { label(language: $lang) shout: label(language: "vi", upper: true)'
        " picky(size: $size) } }"
    )
    coerced = []

    def counting(field_def, node, variable_values):
        coerced.append(node.name.value)
        return values.get_argument_values(field_def, node, variable_values)

    answers = {}
    for size in (2, 20, None):
        variables = {"lang": "en"} | ({"size": size} if size is not None else {})
        expected = execute(schema, document, variable_values=variables, execution_context_class=ExecutionContext)
        coerced.clear()
        monkeypatch.setattr(execution, "get_argument_values", counting)
        short = execute(schema, document, variable_values=variables, execution_context_class=StorefrontExecutionContext)
        monkeypatch.undo()
        assert short.data == expected.data, variables
        assert [(e.message, e.path) for e in short.errors or []] == [(e.message, e.path) for e in expected.errors or []]
        assert sorted(coerced) == ["label", "label", "picky"]  # once per field of the document, not per item
        answers[size] = short
    assert answers[2].data["items"][0] == {"label": "1-en", "shout": "1-VI", "picky": 2}
    assert answers[20].data["items"] == [None, None, None] and len(answers[20].errors) == 3  # the resolver refused


def test_channel_context_fields_take_the_short_path_and_answer_as_graphql_core_does():
    """The default resolver of `ChannelContextType` (the node's attribute) is plain: the short path takes it."""
    from types import SimpleNamespace

    import graphene
    from graphql import ExecutionContext, execute, parse

    from storefront_api.core.context import ChannelContext, ChannelContextType
    from storefront_api.core.execution import StorefrontExecutionContext, field_plan

    class Seen(ChannelContextType):
        class Meta:
            interfaces = (graphene.relay.Node,)

        name = graphene.String(required=True)
        created_at = graphene.Int(name="created")
        channel = graphene.String()
        missing = graphene.String()
        stars = graphene.Int(required=True)

    class Query(graphene.ObjectType):
        seen = graphene.List(Seen)

        @staticmethod
        def resolve_seen(root, info):
            channel = SimpleNamespace(slug="online")
            return [
                ChannelContext(node=SimpleNamespace(id=1, name="one", created_at=10, stars=4), channel=channel),
                ChannelContext(node=SimpleNamespace(id=2, name="two", created_at=None, stars=None), channel=channel),
            ]

    schema = graphene.Schema(query=Query).graphql_schema
    seen_type = schema.type_map["Seen"]
    for name in ("id", "name", "created", "channel", "missing", "stars"):
        assert field_plan(seen_type.fields[name], seen_type).getter is not None, name

    document = parse("{ seen { id name created channel missing stars } }")
    expected = execute(schema, document, execution_context_class=ExecutionContext)
    short = execute(schema, document, execution_context_class=StorefrontExecutionContext)

    assert short.data == expected.data
    assert [(e.message, e.path) for e in short.errors] == [(e.message, e.path) for e in expected.errors]
    assert expected.data["seen"][0] == {
        "id": _id("Seen", 1),
        "name": "one",
        "created": 10,
        "channel": "online",
        "missing": None,
        "stars": 4,
    }
    assert expected.data["seen"][1] is None and len(expected.errors) == 1  # a null for a non-null field
