"""Vietnamese words the demo builds its names and titles from: people, communes, districts,
products per sector and each province's best-known trades. Nothing here is a real record."""

FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
)
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Hữu", "Thu", "Xuân")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Yến",
)

# Commune names found in many provinces.
COMMUNES = (
    "Tân Lập",
    "Hòa Bình",
    "Quyết Thắng",
    "Đồng Tâm",
    "Tân Tiến",
    "Hợp Thành",
    "Phú Xuân",
    "Thanh Xuân",
    "Hưng Đạo",
    "Quang Trung",
    "Tân Hòa",
    "Đông Sơn",
    "Xuân Phương",
    "Minh Đức",
    "Vĩnh Phúc",
    "Bình Minh",
    "Tiên Phong",
    "Thống Nhất",
    "An Thịnh",
    "Phú Lộc",
    "Hồng Phong",
    "Nghĩa Hưng",
    "Tân Phú",
    "Long Hưng",
)
VILLAGES = ("thôn Đông", "thôn Trung", "thôn Thượng", "thôn Hạ", "xóm Mới", "ấp Bình An")

# Districts of some old provinces (the district tier ended on 01/07/2025).
DISTRICTS = {
    "01": ("Chương Mỹ", "Thạch Thất", "Phú Xuyên", "Thường Tín", "Ứng Hòa", "Mỹ Đức", "Ba Vì"),
    "02": ("Vị Xuyên", "Bắc Quang", "Hoàng Su Phì", "Quản Bạ"),
    "14": ("Mộc Châu", "Mai Sơn", "Thuận Châu", "Yên Châu"),
    "19": ("Đại Từ", "Phú Lương", "Định Hóa", "Đồng Hỷ", "Võ Nhai", "Phú Bình"),
    "24": ("Lục Ngạn", "Lục Nam", "Yên Thế", "Tân Yên", "Hiệp Hòa"),
    "25": ("Thanh Sơn", "Tân Sơn", "Yên Lập", "Cẩm Khê", "Hạ Hòa", "Đoan Hùng", "Phù Ninh"),
    "27": ("Tiên Du", "Yên Phong", "Gia Bình", "Lương Tài", "Thuận Thành"),
    "34": ("Kiến Xương", "Vũ Thư", "Đông Hưng", "Hưng Hà", "Quỳnh Phụ", "Thái Thụy"),
    "35": ("Duy Tiên", "Kim Bảng", "Thanh Liêm", "Bình Lục", "Lý Nhân"),
    "36": ("Ý Yên", "Vụ Bản", "Nam Trực", "Trực Ninh", "Xuân Trường", "Hải Hậu"),
    "37": ("Gia Viễn", "Hoa Lư", "Kim Sơn", "Yên Mô", "Nho Quan"),
    "38": ("Hoằng Hóa", "Nga Sơn", "Quảng Xương", "Thọ Xuân", "Thiệu Hóa", "Yên Định"),
    "40": ("Diễn Châu", "Quỳnh Lưu", "Nghi Lộc", "Yên Thành", "Thanh Chương"),
    "49": ("Điện Bàn", "Duy Xuyên", "Đại Lộc", "Thăng Bình", "Quế Sơn"),
    "52": ("Tuy Phước", "An Nhơn", "Phù Cát", "Hoài Nhơn", "Tây Sơn"),
    "66": ("Cư M'gar", "Krông Pắc", "Ea Kar", "Buôn Đôn", "Krông Ana"),
    "68": ("Đức Trọng", "Lâm Hà", "Di Linh", "Bảo Lâm", "Đơn Dương"),
    "83": ("Mỏ Cày Nam", "Chợ Lách", "Giồng Trôm", "Châu Thành", "Ba Tri"),
    "86": ("Long Hồ", "Mang Thít", "Vũng Liêm", "Tam Bình", "Trà Ôn"),
    "87": ("Lai Vung", "Lấp Vò", "Cao Lãnh", "Tháp Mười"),
    "89": ("Chợ Mới", "Tịnh Biên", "Tri Tôn", "Châu Phú"),
    "94": ("Mỹ Xuyên", "Kế Sách", "Long Phú", "Mỹ Tú"),
}

# Products by sector code: what "sản xuất …" / "chế biến …" is about.
PRODUCTS = {
    "a": (
        "chè xanh",
        "miến dong",
        "bún khô",
        "bánh đa nem",
        "tinh bột sắn",
        "nước mắm",
        "cà phê bột",
        "hạt điều nhân",
        "mật ong",
        "nông sản sấy khô",
        "gạo hữu cơ",
        "thức ăn chăn nuôi",
        "măng khô",
        "long nhãn sấy",
    ),
    "b": (
        "hàng may mặc",
        "giày dép",
        "túi xách",
        "bao bì giấy",
        "đồ gỗ nội thất",
        "chăn ga gối đệm",
        "hàng dệt kim",
    ),
    "c": (
        "gạch không nung",
        "phân bón hữu cơ vi sinh",
        "ngói màu",
        "cấu kiện bê tông đúc sẵn",
        "gạch bê tông khí chưng áp",
    ),
    "d": (
        "máy nông nghiệp",
        "nông cụ cầm tay",
        "khung nhà thép",
        "linh kiện cơ khí",
        "thiết bị điện dân dụng",
        "máy chế biến thức ăn gia súc",
    ),
    "dd": (
        "mây tre đan",
        "gốm sứ",
        "sơn mài",
        "thêu ren",
        "đồ gỗ mỹ nghệ",
        "chiếu cói",
        "thổ cẩm",
        "nón lá",
        "đồ đồng mỹ nghệ",
        "bèo bồng đan",
    ),
    "e": ("đá xây dựng", "bột đá trắng", "cát nghiền nhân tạo", "đá ốp lát"),
    "g": ("tinh bột sắn", "giấy tái chế", "gạch nung tuynel", "chế phẩm sinh học"),
    "h": ("thiết bị tiết kiệm năng lượng", "pin năng lượng mặt trời", "linh kiện điện tử"),
}

# What establishments of a sector do, as a noun phrase after "cơ sở …" / "Hợp tác xã …".
TRADE_WORD = {
    "a": "chế biến",
    "b": "sản xuất",
    "c": "sản xuất",
    "d": "cơ khí",
    "dd": "thủ công mỹ nghệ",
    "e": "khai thác, chế biến",
    "g": "sản xuất",
    "h": "công nghệ",
}

# Best-known trades of some old provinces: (sector, product).
SPECIALTIES = {
    "01": (("dd", "gốm sứ"), ("dd", "mây tre đan"), ("dd", "sơn mài")),
    "02": (("a", "chè shan tuyết"),),
    "14": (("a", "cà phê bột"),),
    "19": (("a", "chè xanh"),),
    "22": (("a", "nước mắm"),),
    "24": (("a", "vải thiều sấy"),),
    "25": (("a", "chè xanh"),),
    "27": (("dd", "đồ gỗ mỹ nghệ"), ("b", "đồ gỗ nội thất")),
    "34": (("c", "gạch không nung"), ("dd", "chiếu cói")),
    "36": (("b", "hàng dệt may"), ("d", "linh kiện cơ khí")),
    "37": (("dd", "chiếu cói"),),
    "40": (("a", "nước mắm"),),
    "49": (("dd", "đồ gỗ mỹ nghệ"),),
    "66": (("a", "cà phê bột"),),
    "68": (("a", "cà phê bột"), ("a", "chè xanh")),
    "83": (("a", "thạch dừa"), ("a", "kẹo dừa")),
    "86": (("c", "gạch gốm"),),
    "89": (("dd", "thổ cẩm"),),
}

COUNTRIES = ("Nhật Bản", "Hàn Quốc", "Thái Lan", "Đài Loan (Trung Quốc)", "Malaysia", "Italia")

REGION_PHRASE = {
    "north": "phía Bắc",
    "centre": "miền Trung - Tây Nguyên",
    "south": "phía Nam",
}

ENTERPRISE_WORDS = (
    "Phú Thịnh",
    "Hưng Phát",
    "Thành Công",
    "Minh Phát",
    "Tân Tiến",
    "Đại Phong",
    "Hoàng Long",
    "Việt Hưng",
    "An Phú",
    "Trường Sơn",
    "Nam Việt",
    "Hồng Hà",
    "Kim Ngân",
    "Sao Mai",
    "Đức Thành",
)


def person(rng) -> tuple[str, str]:
    """(họ và tên đệm, tên): family and middle name, given name."""
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)}", rng.choice(GIVEN_NAMES)


def full_name(rng) -> str:
    family, given = person(rng)
    return f"{family} {given}"


def of_province(province) -> str:
    """'Tỉnh Thái Bình' -> 'tỉnh Thái Bình', to follow a noun in a title."""
    return province.name[0].lower() + province.name[1:]
