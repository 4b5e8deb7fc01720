"""`on_fresh_chunk`: a call made from a frame larger than a chunk of CPython's frame stack."""

import pytest

from marketplace.core import stack
from marketplace.core.stack import on_fresh_chunk


def test_it_calls_through_with_arguments_and_result():
    assert on_fresh_chunk(divmod, 17, 5) == (3, 2)
    assert on_fresh_chunk(dict, a=1) == {"a": 1}
    assert on_fresh_chunk(lambda function: function, 3) == 3  # an argument may be named `function`


def test_exceptions_pass_through():
    with pytest.raises(ZeroDivisionError):
        on_fresh_chunk(divmod, 1, 0)


def test_its_frame_is_larger_than_a_chunk():
    code = stack._namespace["on_fresh_chunk"].__code__
    assert code.co_nlocals * 8 > stack._CHUNK_BYTES


def test_a_deep_recursion_below_it_still_works():
    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    assert on_fresh_chunk(depth, 500) == 500
