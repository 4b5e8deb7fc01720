"""Saleor's account enums: error codes, address types and ISO country codes."""

from __future__ import annotations

import graphene

from marketplace.accounts.error_codes import AccountErrorCode, AddressType

AccountErrorCodeEnum = graphene.Enum.from_enum(AccountErrorCode, name="AccountErrorCode")
AddressTypeEnum = graphene.Enum(
    "AddressTypeEnum", [(address_type.name, address_type.value) for address_type in AddressType]
)

# ISO 3166-1 alpha-2, as Saleor's `CountryCode` lists them (with XK and EU). Only VN is delivered to; the
# others are accepted by the schema so that a wrong country is a field error, not a malformed query.
_ISO_CODES = [
    code
    for line in (
        "AF AX AL DZ AS AD AO AI AQ AG AR AM AW AU AT AZ BS BH BD BB BY BE BZ BJ BM BT BO BQ BA BW BV BR IO BN BG BF",
        "BI CV KH CM CA KY CF TD CL CN CX CC CO KM CG CD CK CR CI HR CU CW CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET",
        "EU FK FO FJ FI FR GF PF TF GA GM GE DE GH GI GR GL GD GP GU GT GG GN GW GY HT HM VA HN HK HU IS IN ID IR IQ",
        "IE IM IL IT JM JP JE JO KZ KE KI XK KW KG LA LV LB LS LR LY LI LT LU MO MG MW MY MV ML MT MH MQ MR MU YT MX",
        "FM MD MC MN ME MS MA MZ MM NA NR NP NL NC NZ NI NE NG NU NF KP MK MP NO OM PK PW PS PA PG PY PE PH PN PL PT",
        "PR QA RE RO RU RW BL SH KN LC MF PM VC WS SM ST SA SN RS SC SL SG SX SK SI SB SO ZA GS KR SS ES LK SD SR SJ",
        "SE CH SY TW TJ TZ TH TL TG TK TO TT TN TR TM TC TV UG UA AE GB UM US UY UZ VU VE VN VG VI WF EH YE ZM ZW",
    )
    for code in line.split()
]
CountryCodeEnum = graphene.Enum("CountryCode", [(code, code) for code in _ISO_CODES])
