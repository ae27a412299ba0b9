"""The official catalogues: content-area lists and eligible sectors, with their legal basis."""

import datetime

from django.db import transaction

from core.upsert import upsert
from reference.models import ContentArea, ContentAreaList, Sector

D = datetime.date

CONTENT_LISTS = [
    {
        "code": "nd45",
        "name": "9 nội dung hoạt động khuyến công (Nghị định 45/2012/NĐ-CP, Điều 4)",
        "legal_basis": "Nghị định 45/2012/NĐ-CP, Điều 4",
        "valid_from": D(2012, 7, 5),
        "valid_to": None,
        "areas": [
            ("Đào tạo nghề, truyền nghề", "Đào tạo nghề", "Vocational training and craft transfer"),
            (
                "Nâng cao năng lực quản lý, nhận thức sản xuất sạch hơn; hỗ trợ khởi sự doanh nghiệp; "
                "mở rộng thị trường",
                "Năng lực quản lý, thị trường",
                "Management capacity, cleaner-production awareness, start-ups, market expansion",
            ),
            (
                "Xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc tiên "
                "tiến; mô hình thí điểm sản xuất sạch hơn",
                "Mô hình trình diễn, máy móc",
                "Demonstration models, technology transfer, advanced machinery",
            ),
            (
                "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu; hội chợ, triển lãm; thương "
                "hiệu; phòng trưng bày",
                "Sản phẩm tiêu biểu, hội chợ",
                "Typical rural industrial products, fairs, brands, showrooms",
            ),
            (
                "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn",
                "Tư vấn, trợ giúp",
                "Consulting and assistance to rural industrial establishments",
            ),
            (
                "Cung cấp thông tin, tuyên truyền",
                "Thông tin, tuyên truyền",
                "Information and communication",
            ),
            (
                "Liên doanh liên kết, hợp tác kinh tế, phát triển cụm công nghiệp, di dời cơ sở gây "
                "ô nhiễm",
                "Liên kết, cụm công nghiệp",
                "Linkages, cooperation, industrial clusters, relocation of polluters",
            ),
            ("Hợp tác quốc tế về khuyến công", "Hợp tác quốc tế", "International cooperation"),
            (
                "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công",
                "Năng lực hệ thống khuyến công",
                "Capacity of the khuyến công system",
            ),
        ],
    },
    {
        "code": "ct2125",
        "name": "7 nhóm nội dung Chương trình khuyến công quốc gia 2021–2025",
        "legal_basis": "Quyết định 1881/QĐ-TTg ngày 20/11/2020",
        "valid_from": D(2021, 1, 1),
        "valid_to": D(2025, 12, 31),
        "areas": [
            (
                "Mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc thiết bị tiên "
                "tiến",
                "Mô hình trình diễn, máy móc",
                "Demonstration models, technology transfer, advanced machinery",
            ),
            (
                "Mô hình thí điểm sản xuất sạch hơn, hệ thống xử lý ô nhiễm môi trường tại cơ sở "
                "công nghiệp nông thôn",
                "Sản xuất sạch hơn, xử lý ô nhiễm",
                "Cleaner-production pilots and pollution treatment",
            ),
            (
                "Phát triển sản phẩm công nghiệp nông thôn",
                "Phát triển sản phẩm CNNT",
                "Rural industrial product development",
            ),
            (
                "Liên doanh, liên kết, cụm liên kết ngành, chuỗi giá trị; đầu tư hạ tầng cụm công "
                "nghiệp",
                "Liên kết, cụm công nghiệp",
                "Linkages, industry clusters, value chains, industrial-cluster infrastructure",
            ),
            (
                "Nâng cao năng lực quản lý, nguồn nhân lực, tư vấn cho cơ sở công nghiệp nông thôn",
                "Nhân lực, quản lý, tư vấn",
                "Human resources, management capacity, consulting",
            ),
            ("Thông tin, tuyên truyền", "Thông tin, tuyên truyền", "Information and communication"),
            (
                "Nâng cao năng lực tổ chức thực hiện hoạt động khuyến công",
                "Năng lực hệ thống khuyến công",
                "Capacity of the khuyến công organisations",
            ),
        ],
    },
]

ND45 = "Nghị định 45/2012/NĐ-CP, Điều 5"
ND235 = "Nghị định 235/2025/NĐ-CP (sửa đổi Điều 5 Nghị định 45/2012/NĐ-CP)"
SECTORS = [
    (
        "a",
        "a",
        "Công nghiệp chế biến nông, lâm, thủy sản và chế biến thực phẩm",
        "Chế biến nông lâm thủy sản, thực phẩm",
        "Agro-forestry-aquatic and food processing",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "b",
        "b",
        "Sản xuất hàng công nghiệp phục vụ tiêu dùng, xuất khẩu, hàng thay thế hàng nhập khẩu",
        "Hàng tiêu dùng, xuất khẩu",
        "Consumer, export and import-substitute industrial goods",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "c",
        "c",
        "Công nghiệp hóa chất phục vụ nông nghiệp, nông thôn; sản xuất vật liệu xây dựng",
        "Hóa chất nông nghiệp, vật liệu xây dựng",
        "Agro-chemicals and building materials",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "d",
        "d",
        "Sản xuất phụ tùng, lắp ráp và sửa chữa máy móc, thiết bị cơ khí, điện, điện tử, "
        "tin học; công nghiệp hỗ trợ",
        "Cơ khí, điện, điện tử, công nghiệp hỗ trợ",
        "Mechanical, electrical, electronic and IT equipment; supporting industry",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "dd",
        "đ",
        "Sản xuất sản phẩm, phụ tùng, lắp ráp và sửa chữa thủ công mỹ nghệ, tiểu thủ công nghiệp",
        "Thủ công mỹ nghệ, tiểu thủ công nghiệp",
        "Handicrafts and small industry",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "e",
        "e",
        "Khai thác, chế biến khoáng sản tại địa bàn có điều kiện kinh tế - xã hội khó "
        "khăn và đặc biệt khó khăn",
        "Khai thác, chế biến khoáng sản (địa bàn khó khăn)",
        "Mining and mineral processing in disadvantaged areas",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "g",
        "g",
        "Áp dụng sản xuất sạch hơn, xử lý ô nhiễm môi trường tại cụm công nghiệp, cơ sở "
        "sản xuất công nghiệp nông thôn",
        "Sản xuất sạch hơn, xử lý ô nhiễm",
        "Cleaner production and pollution treatment",
        ND45,
        D(2012, 7, 5),
    ),
    (
        "h",
        "h",
        "Công nghiệp công nghệ cao, công nghiệp sạch, tiết kiệm năng lượng, công nghiệp "
        "môi trường, năng lượng thân thiện môi trường",
        "Công nghệ cao, công nghiệp xanh",
        "High-tech, clean, energy-saving and environmental industry",
        ND235,
        D(2025, 10, 15),
    ),
]


@transaction.atomic
def load_catalogues() -> tuple[int, int]:
    areas = 0
    for spec in CONTENT_LISTS:
        content_list = upsert(
            ContentAreaList,
            code=spec["code"],
            defaults={key: spec[key] for key in ("name", "legal_basis", "valid_from", "valid_to")},
        )
        for number, (name, short_name, name_en) in enumerate(spec["areas"], start=1):
            upsert(
                ContentArea,
                code=f"{spec['code']}-{number}",
                defaults={
                    "content_list": content_list,
                    "number": number,
                    "name": name,
                    "short_name": short_name,
                    "name_en": name_en,
                },
            )
            areas += 1
    for order, (code, letter, name, short, name_en, basis, since) in enumerate(SECTORS, 1):
        upsert(
            Sector,
            code=code,
            defaults={
                "letter": letter,
                "name": name,
                "short_name": short,
                "name_en": name_en,
                "legal_basis": basis,
                "valid_from": since,
                "order": order,
            },
        )
    return areas, len(SECTORS)
