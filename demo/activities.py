"""What a demo scheme does: the kinds of khuyến công activity, the content area each belongs to
in both official lists (Decree 45 art. 4, and the 7 groups of 2021–2025), the sectors it suits,
its usual size, and title templates that read like the titles of real plans."""

from dataclasses import dataclass

from demo.names import COUNTRIES, PRODUCTS, REGION_PHRASE


@dataclass(frozen=True)
class Activity:
    key: str
    nd45: int  # area number in the Decree 45 list
    ct2125: int  # area number in the 2021–2025 list
    sectors: tuple[str, ...]
    amount: tuple[int, int]  # usual support, millions of đồng
    counterpart: tuple[float, float]  # counterpart funding as a multiple of the support
    weight: int
    templates: tuple[str, ...]
    description: str


A = Activity
# fmt: off
ACTIVITIES = {
    a.key: a
    for a in (
        A(
            "training", 1, 5, ("a", "b", "d", "dd"), (150, 450), (0.0, 0.1), 14,
            (
                "Đào tạo nghề {craft} cho lao động nông thôn {place}",
                "Truyền nghề {craft} cho lao động nông thôn {place}",
                "Đào tạo nâng cao tay nghề {craft} cho lao động tại các cơ sở công nghiệp nông "
                "thôn {place}",
            ),
            "Đào tạo, truyền nghề {craft} cho khoảng {people} lao động nông thôn, tạo việc làm "
            "ổn định tại địa phương.",
        ),
        A(
            "management", 2, 5, ("a", "b", "c", "dd"), (120, 350), (0.0, 0.1), 6,
            (
                "Tập huấn nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn {place}",
                "Hỗ trợ khởi sự doanh nghiệp công nghiệp nông thôn {place}",
                "Tổ chức hội thảo nâng cao nhận thức về sản xuất sạch hơn cho cơ sở công nghiệp "
                "nông thôn {place}",
            ),
            "Tập huấn cho khoảng {people} chủ cơ sở và cán bộ quản lý cơ sở công nghiệp nông thôn.",
        ),
        A(
            "demo_model", 3, 1, ("a", "b", "c", "d", "dd", "e"), (400, 1200), (1.0, 2.5), 14,
            (
                "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật sản xuất {product} tại {place}",
                "Xây dựng mô hình trình diễn kỹ thuật {process} tại {establishment}, {place}",
            ),
            "Xây dựng mô hình trình diễn kỹ thuật {process} để các cơ sở trong vùng tham quan, "
            "học tập và nhân rộng.",
        ),
        A(
            "machinery", 3, 1, ("a", "b", "c", "d", "dd", "e"), (200, 900), (1.5, 4.0), 22,
            (
                "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong {process} tại {establishment}, "
                "{place}",
                "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất {product} tại "
                "{establishment}",
            ),
            "Hỗ trợ một phần kinh phí mua sắm máy móc thiết bị tiên tiến, nâng cao năng suất và "
            "chất lượng sản phẩm {product}.",
        ),
        A(
            "transfer", 3, 1, ("a", "c", "d"), (300, 900), (1.0, 2.0), 4,
            ("Hỗ trợ chuyển giao công nghệ {process} tại {establishment}, {place}",),
            "Chuyển giao quy trình công nghệ {process} và đào tạo vận hành cho người lao động.",
        ),
        A(
            "cleaner", 3, 2, ("g",), (300, 1000), (1.0, 2.5), 5,
            (
                "Xây dựng mô hình thí điểm áp dụng sản xuất sạch hơn trong {process} tại "
                "{establishment}",
                "Hỗ trợ xây dựng hệ thống xử lý nước thải tại {establishment}, {place}",
            ),
            "Đánh giá sản xuất sạch hơn và đầu tư hệ thống xử lý chất thải, giảm ô nhiễm môi "
            "trường.",
        ),
        A(
            "fair", 4, 3, ("dd", "a", "b"), (1200, 3500), (0.2, 0.5), 3,
            (
                "Tổ chức Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực {region} "
                "năm {year}",
            ),
            "Tổ chức hội chợ cho khoảng {people} gian hàng của cơ sở công nghiệp nông thôn.",
        ),
        A(
            "typical", 4, 3, ("dd", "a", "b"), (500, 1500), (0.0, 0.2), 3,
            (
                "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực {region} "
                "năm {year}",
            ),
            "Tổ chức bình chọn, chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực.",
        ),
        A(
            "brand", 4, 3, ("a", "dd", "b"), (150, 450), (0.2, 0.6), 6,
            (
                "Hỗ trợ xây dựng, đăng ký nhãn hiệu và thiết kế bao bì cho sản phẩm {product} "
                "{place}",
                "Hỗ trợ xây dựng phòng trưng bày giới thiệu, bán sản phẩm công nghiệp nông thôn "
                "tiêu biểu tại {establishment}",
            ),
            "Hỗ trợ xây dựng thương hiệu, mẫu mã và kênh giới thiệu sản phẩm {product}.",
        ),
        A(
            "consulting", 5, 5, ("a", "b", "d", "dd"), (100, 350), (0.1, 0.4), 4,
            (
                "Tư vấn cải tiến mẫu mã, nâng cao chất lượng sản phẩm {product} cho cơ sở công "
                "nghiệp nông thôn {place}",
                "Tư vấn lập dự án đầu tư, quản lý sản xuất cho {establishment}",
            ),
            "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn về kỹ thuật, thiết kế và quản lý.",
        ),
        A(
            "information", 6, 6, ("a", "dd"), (200, 700), (0.0, 0.0), 4,
            (
                "Xây dựng chuyên mục khuyến công trên sóng Đài Phát thanh và Truyền hình "
                "{province} năm {year}",
                "Xuất bản bản tin khuyến công {province} năm {year}",
            ),
            "Tuyên truyền về chính sách khuyến công và các mô hình sản xuất hiệu quả.",
        ),
        A(
            "cluster_plan", 7, 4, ("c", "d", "g"), (400, 1200), (0.0, 0.2), 3,
            ("Hỗ trợ lập quy hoạch chi tiết cụm công nghiệp {cluster}, {place}",),
            "Lập quy hoạch chi tiết tỷ lệ 1/500 cụm công nghiệp, thu hút cơ sở vào sản xuất.",
        ),
        A(
            "cluster_infra", 7, 4, ("c", "d", "g"), (1500, 4000), (2.0, 4.0), 2,
            ("Hỗ trợ đầu tư xây dựng hạ tầng kỹ thuật cụm công nghiệp {cluster}, {place}",),
            "Hỗ trợ đầu tư hệ thống xử lý nước thải tập trung và đường nội bộ cụm công nghiệp.",
        ),
        A(
            "linkage", 7, 4, ("a", "b", "dd"), (300, 900), (0.5, 1.5), 3,
            ("Hỗ trợ liên kết sản xuất, xây dựng chuỗi giá trị sản phẩm {product} {place}",),
            "Hỗ trợ liên kết giữa cơ sở sản xuất {product} và doanh nghiệp tiêu thụ.",
        ),
        A(
            "international", 8, 7, ("dd", "b"), (500, 1500), (0.1, 0.3), 1,
            (
                "Tổ chức đoàn khảo sát, học tập kinh nghiệm khuyến công tại {country} năm {year}",
                "Hỗ trợ cơ sở công nghiệp nông thôn tham gia hội chợ triển lãm quốc tế tại "
                "{country} năm {year}",
            ),
            "Học tập kinh nghiệm và xúc tiến thị trường nước ngoài cho cơ sở công nghiệp nông "
            "thôn.",
        ),
        A(
            "capacity", 9, 7, ("a", "dd"), (200, 800), (0.0, 0.0), 2,
            (
                "Tập huấn nâng cao năng lực cho cán bộ làm công tác khuyến công khu vực {region} "
                "năm {year}",
                "Tổ chức Hội nghị khuyến công vùng {region} năm {year}",
            ),
            "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công.",
        ),
    )
}
# fmt: on

# Activities that a group scheme (đề án nhóm) does for establishments chosen later by the Sở.
GROUP_TEMPLATES = {
    "machinery": "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong {process} cho các cơ sở công "
    "nghiệp nông thôn {place}",
    "demo_model": "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật sản xuất {product} cho các cơ sở "
    "công nghiệp nông thôn {place}",
    "cleaner": "Hỗ trợ áp dụng sản xuất sạch hơn cho các cơ sở {process} {place}",
}
GROUP_ACTIVITIES = tuple(GROUP_TEMPLATES)

PILOT_TOPICS = {
    "a": "chế biến nông sản theo chuỗi giá trị",
    "b": "ngành dệt may",
    "c": "sản xuất vật liệu xây dựng không nung",
    "d": "cơ khí chế tạo máy nông nghiệp",
    "dd": "làng nghề {product}",
}
PILOT_SECONDARY = ("training", "brand", "consulting", "linkage")

# Activities that only make sense once per region and year, held by a host province.
REGIONAL_EVENTS = frozenset({"fair", "typical", "capacity", "international"})


def process_of(sector: str, product: str) -> str:
    return f"chế biến {product}" if sector == "a" else f"sản xuất {product}"


def craft_of(sector: str, product: str) -> str:
    return product if sector == "dd" else process_of(sector, product)


def fill(template: str, **words: str) -> str:
    return template.format(**words)


def words_for(
    rng,
    *,
    sector: str,
    product: str,
    place: str,
    province: str,
    region: str,
    year: int,
    establishment: str,
    cluster: str,
) -> dict[str, str]:
    return {
        "product": product,
        "process": process_of(sector, product),
        "craft": craft_of(sector, product),
        "place": place,
        "province": province,
        "region": REGION_PHRASE[region],
        "year": str(year),
        "establishment": establishment,
        "cluster": cluster,
        "country": rng.choice(COUNTRIES),
        "people": str(rng.randrange(30, 150, 5)),
    }


def product_for(rng, sector: str) -> str:
    return rng.choice(PRODUCTS[sector])
