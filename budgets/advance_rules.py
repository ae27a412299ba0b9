"""The advance rates known from the sources, with their legal basis. Where a source gives no
figure the text says so; nothing here is a guess dressed as a rule.

Migration 0011 writes them; `add_statutory_rules` writes them again wherever a database has lost
them (a test database flushed by a transactional test). It never changes a rule an administrator
has edited: the rows are keyed by start date and kind, and only missing ones are created."""

import datetime
from decimal import Decimal

RULES = [
    {
        "valid_from": datetime.date(2014, 2, 18),
        "valid_to": datetime.date(2018, 5, 10),
        "scheme_kind": "",
        "first_advance_rate": Decimal(70),
        "advance_cap_rate": Decimal(70),
        "legal_basis": (
            "TTLT 26/2014/TTLT-BTC-BCT (18/02/2014), Điều 8.2.b: tạm ứng tối đa 70% kinh phí "
            "hỗ trợ ghi trong hợp đồng. TT 36/2013/TT-BCT, Điều 13–16: tạm ứng lần đầu 70% cho "
            "đào tạo nghề, tư vấn, hội thảo, hội chợ, truyền thông, mô hình trình diễn, máy móc "
            "thiết bị. Riêng hạ tầng cụm công nghiệp và xử lý ô nhiễm trong cụm công nghiệp: lần "
            "đầu 30% (theo nội dung hỗ trợ, không theo loại đề án; hệ thống chưa phân biệt). "
            "Đề án nhiều năm: tạm ứng theo tiến độ, văn bản không nêu tỷ lệ. Ngày bắt đầu là "
            "ngày ký TTLT 26/2014: nguồn không nêu ngày có hiệu lực."
        ),
    },
    {
        "valid_from": datetime.date(2018, 5, 11),
        "valid_to": None,
        "scheme_kind": "",
        "first_advance_rate": Decimal(70),
        "advance_cap_rate": Decimal(70),
        "legal_basis": (
            "TT 28/2018/TT-BTC (hiệu lực 11/05/2018, sửa đổi bởi TT 64/2024/TT-BTC) thay TTLT "
            "26/2014; nguồn đã đọc không nêu mức trần tạm ứng của TT 28/2018: giữ mức 70% của "
            "TTLT 26/2014 cho đến khi đối chiếu văn bản. Tạm ứng lần đầu 70% theo TT "
            "36/2013/TT-BCT (còn hiệu lực); hạ tầng và xử lý ô nhiễm cụm công nghiệp 30%."
        ),
    },
]


def add_statutory_rules(model) -> None:
    """Creates the missing rules (`model`: AdvanceRule, or its historical model)."""
    for rule in RULES:
        model.objects.get_or_create(
            valid_from=rule["valid_from"], scheme_kind=rule["scheme_kind"], defaults=rule
        )
