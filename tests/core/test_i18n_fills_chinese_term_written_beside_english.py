import pytest

from yiwang.core.management.commands.i18n import chinese_tail


@pytest.mark.parametrize(
    "msgid, chinese",
    [
        ("audit event 审计记录", "审计记录"),
        ("Resident / company 居民/企业", "居民/企业"),
        ("12345 hotline 12345热线", "12345热线"),
        ("grid 网格 (level 3)", None),  # Chinese not at the end: a translator decides
        ("OIDC subject", None),
        ("%(n)s cases 件", None),  # placeholders are never guessed
        ("审计", None),
        ("floor area (平方米)", None),  # a bracketed note is not the term: a translator decides
        ("capacity （人）", None),
    ],
)
def test_chinese_term_at_the_end_of_a_msgid_becomes_its_translation(msgid, chinese):
    assert chinese_tail(msgid) == chinese
