"""The cyclic garbage collector is paused for a bulk step and always enabled again."""

import gc

import pytest

from apps.core.gc_pause import cyclic_gc_paused


def test_the_collector_is_paused_inside_and_enabled_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
