from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.documents import FormalDocument

VERIFY_URL = "https://portal.example.gov.cn/verify/9f3c2a7b-4d1e-4c55-8a6e-2b7f0c1d9e42"


@pytest.fixture
def receipt() -> FormalDocument:
    """An acceptance receipt (受理通知书) with every part filled in."""
    return FormalDocument(
        title="受理通知书",
        issuer="某市政务服务中心",
        number="某政服受字〔2025〕第000123号",
        issued_at=datetime(2025, 3, 3, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        fields=[
            ("申请人", "张三"),
            ("申请事项", "食品经营许可（新办）"),
            ("申请编号", "SQ20250303000123"),
            ("办结时限", "最迟于2025年3月13日前作出决定"),
        ],
        paragraphs=[
            "你于2025年3月3日提出的申请材料齐全、符合法定形式，本机关决定予以受理。",
            "逾期未作出决定的，视为准予许可。",
            "如不服本决定，可以在60日内申请行政复议，或者在6个月内提起行政诉讼。",
        ],
        verify_url=VERIFY_URL,
        verify_caption="扫码核验本文书真伪",
        footer="咨询电话：12345",
        stamp_text="某市政务服务中心",
    )
