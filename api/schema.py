"""The API's OpenAPI 3.1 description, built from one Python description at request time (so
that its texts follow the language asked for), and the same description arranged for the human
page /api/v1/docs/. The tests validate it and check every endpoint's answers against it."""

from django.utils.translation import gettext as _

from api.aggregates import GROUPS
from api.pagination import MAX_PAGE_SIZE
from projects.models import Fund, Scheme
from projects.selectors import Stage
from provinces.models import ProvinceMap

JSON = "application/json"
RATE_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _money(description: str) -> dict:
    return {"type": "integer", "description": description}


def _rate(description: str) -> dict:
    return {"type": ["string", "null"], "pattern": RATE_PATTERN, "description": description}


def _object(properties: dict, *, optional: tuple[str, ...] = (), **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
        **extra,
    }


def _query(name: str, description: str, schema: dict, example=None, **extra) -> dict:
    parameter = {"name": name, "in": "query", "description": description, "schema": schema}
    if example is not None:
        parameter["example"] = example
    return {**parameter, **extra}


def _parameters() -> dict:
    yes_no = {"type": "string", "enum": ["1", "0"]}
    return {
        "year": _query(
            "year",
            _("Năm kế hoạch (2012–2100)."),
            {"type": "integer", "minimum": 2012, "maximum": 2100},
            2019,
        ),
        "fund": _query(
            "fund",
            _("Nguồn kinh phí: national, local, hoặc all (cả hai, mặc định)."),
            {"type": "string", "enum": [*Fund.values, "all"]},
        ),
        "region": _query(
            "region", _("Mã vùng khuyến công: north, centre, south."), {"type": "string"}
        ),
        "province": _query(
            "province",
            _("Mã GSO của tỉnh (2 chữ số), đọc trên bản đồ `map` (bắt buộc kèm theo)."),
            {"type": "string", "pattern": "^[0-9]{1,2}$"},
        ),
        "map": _query(
            "map",
            _(
                "Bản đồ tỉnh: 63 (trước 01/07/2025) hoặc 34 (từ 01/07/2025). Mặc định: bản đồ có "
                "hiệu lực ngày 31/12 của năm."
            ),
            {"type": "string", "enum": ProvinceMap.values},
        ),
        "content_area": _query(
            "content_area", _("Mã nội dung khuyến công, ví dụ nd45-1."), {"type": "string"}
        ),
        "sector": _query("sector", _("Mã ngành nghề, ví dụ a."), {"type": "string"}),
        "as_of": _query(
            "as_of",
            _("Tính số liệu đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd). Mặc định 31/12 của năm."),
            {"type": "string"},
        ),
        "q": _query(
            "q",
            _("Tìm theo mã, tên đề án hoặc tên tỉnh, không phân biệt dấu và hoa thường."),
            {"type": "string"},
        ),
        "kind": _query("kind", _("Loại đề án."), {"type": "string", "enum": Scheme.Kind.values}),
        "status": _query(
            "status",
            _("Trạng thái (lặp lại tham số để chọn nhiều trạng thái)."),
            {"type": "array", "items": {"type": "string", "enum": Scheme.Status.values}},
            style="form",
            explode=True,
        ),
        "stage": _query(
            "stage",
            _("Giai đoạn: mặc định là các đề án trong kế hoạch được duyệt của năm."),
            {"type": "string", "enum": Stage.values},
        ),
        "contracted": _query("contracted", _("1: đã ký hợp đồng; 0: chưa."), yes_no),
        "disbursed": _query("disbursed", _("1: đã giải ngân; 0: chưa."), yes_no),
        "behind": _query("behind", _("1: chậm tiến độ giải ngân; 0: không chậm."), yes_no),
        "paid_month": _query(
            "paid_month",
            _("Có chứng từ giải ngân trong tháng (YYYY-MM)."),
            {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        ),
        "implementing_unit": _query(
            "implementing_unit", _("Mã số (id) của đơn vị thực hiện."), {"type": "integer"}
        ),
        "page": _query(
            "page", _("Số trang, từ 1."), {"type": "integer", "minimum": 1, "default": 1}
        ),
        "page_size": _query(
            "page_size",
            _("Số đề án mỗi trang (tối đa %(max)s).") % {"max": MAX_PAGE_SIZE},
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 50},
        ),
        "by": _query(
            "by",
            _("Chỉ trả về một nhóm số liệu. Mặc định: cả bốn nhóm."),
            {"type": "string", "enum": list(GROUPS)},
        ),
        "code": {
            "name": "code",
            "in": "path",
            "required": True,
            "description": _("Mã đề án."),
            "schema": {"type": "string"},
            "example": "KCQG-2019-001",
        },
        "plan_year": {
            "name": "year",
            "in": "path",
            "required": True,
            "description": _("Năm kế hoạch của đề án."),
            "schema": {"type": "integer"},
            "example": 2019,
        },
    }


def _province() -> dict:
    return _object(
        {
            "name": {"type": "string", "description": _("Tên tỉnh khi lập đề án.")},
            "map": {"type": "string", "enum": ProvinceMap.values},
            "code_63": {
                "type": ["string", "null"],
                "description": _("Mã trên bản đồ 63 tỉnh (null nếu đề án lập theo bản đồ 34)."),
            },
            "code_34": {
                "type": ["string", "null"],
                "description": _("Mã đơn vị trên bản đồ 34 tỉnh (sau sáp nhập)."),
            },
        }
    )


def _scheme_item_properties() -> dict:
    return {
        "code": {"type": "string", "description": _("Mã đề án.")},
        "year": {"type": "integer", "description": _("Năm kế hoạch.")},
        "title": {"type": "string"},
        "fund": {"type": "string", "enum": Fund.values},
        "kind": {"type": "string", "enum": Scheme.Kind.values},
        "status": {"type": "string", "enum": Scheme.Status.values},
        "status_label": {"type": "string"},
        "province": _ref("Province"),
        "region": {"type": ["string", "null"]},
        "sector": {"type": "string"},
        "content_areas": {"type": "array", "items": {"type": "string"}},
        "approved_vnd": _money(_("Kinh phí được duyệt trong năm kế hoạch (đồng).")),
        "contracted_vnd": _money(_("Giá trị hợp đồng đã ký đến ngày tính (đồng).")),
        "disbursed_vnd": _money(_("Đã giải ngân: tạm ứng + thanh toán − thu hồi (đồng).")),
        "disbursed_rate": _rate(_("Giải ngân ÷ kinh phí được duyệt, %; null nếu chưa duyệt.")),
        "url": {"type": "string", "format": "uri"},
    }


def _aggregate_row() -> dict:
    return _object(
        {
            "code": {"type": "string", "description": _("Mã năm, vùng, tỉnh hoặc nội dung.")},
            "name": {"type": "string"},
            "map": {"type": "string", "enum": ProvinceMap.values},
            "budget_vnd": _money(_("Kinh phí được duyệt (đồng).")),
            "disbursed_vnd": _money(_("Đã giải ngân đến ngày tính (đồng).")),
            "disbursed_rate": _rate(_("Giải ngân ÷ kinh phí được duyệt, %.")),
            "schemes": {"type": "integer", "description": _("Số đề án được duyệt.")},
        },
        optional=("map",),
    )


def _schemas() -> dict:
    money_chain = _object(
        {
            "as_of": {"type": "string", "format": "date"},
            **{
                name: _money(label)
                for name, label in (
                    ("approved_vnd", _("Được duyệt")),
                    ("contracted_vnd", _("Đã ký hợp đồng")),
                    ("advances_vnd", _("Tạm ứng")),
                    ("payments_vnd", _("Thanh toán")),
                    ("refunds_vnd", _("Thu hồi")),
                    ("disbursed_vnd", _("Đã giải ngân")),
                    ("remaining_vnd", _("Còn lại")),
                )
            },
            "contracted_rate": _rate(_("Hợp đồng ÷ được duyệt, %.")),
            "disbursed_rate": _rate(_("Giải ngân ÷ được duyệt, %.")),
            "behind_schedule": {"type": "boolean"},
        }
    )
    detail = {
        **_scheme_item_properties(),
        "implementing_unit": {"type": "string"},
        "content_areas": {
            "type": "array",
            "items": _object(
                {
                    "code": {"type": "string"},
                    "number": {"type": "integer"},
                    "name": {"type": "string"},
                }
            ),
        },
        "start_date": {"type": "string", "format": "date"},
        "end_date": {"type": "string", "format": "date"},
        "support_requested_vnd": _money(_("Kinh phí khuyến công đề nghị (đồng).")),
        "counterpart_funding_vnd": _money(_("Vốn đối ứng (đồng).")),
        "money": money_chain,
        "status_history": {
            "type": "array",
            "items": _object(
                {
                    "at": {"type": "string", "format": "date-time"},
                    "from": {"type": ["string", "null"]},
                    "to": {"type": "string"},
                    "reason": {"type": "string"},
                    "decision_number": {"type": "string"},
                }
            ),
        },
    }
    rows = {"type": "array", "items": _ref("AggregateRow")}
    return {
        "Error": _object(
            {
                "error": {"type": "string", "description": _("Thông báo lỗi, đọc được ngay.")},
                "errors": {
                    "type": "object",
                    "description": _(
                        "Lỗi theo tham số (params: lỗi của cả truy vấn, như tham số lạ)."
                    ),
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            }
        ),
        "Summary": _object(
            {
                "year": {"type": "integer"},
                "fund": {"type": "string", "enum": [*Fund.values, "all"]},
                "as_of": {"type": "string", "format": "date"},
                "region": {"type": ["string", "null"]},
                "province": {"type": ["string", "null"]},
                "map": {"type": ["string", "null"], "enum": [*ProvinceMap.values, None]},
                "content_area": {"type": ["string", "null"]},
                "sector": {"type": ["string", "null"]},
                "budget_vnd": _money(_("Kinh phí được duyệt (đồng).")),
                "schemes_approved": {"type": "integer"},
                "schemes_contracted": {"type": "integer"},
                "contracted_rate": _rate(_("Đề án đã ký hợp đồng ÷ đề án được duyệt, %.")),
                "contracted_vnd": _money(_("Giá trị hợp đồng (đồng).")),
                "disbursed_vnd": _money(_("Đã giải ngân (đồng).")),
                "disbursed_rate": _rate(_("Giải ngân ÷ kinh phí được duyệt, %.")),
                "schemes_disbursed": {"type": "integer"},
                "denominators": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": _("Mẫu số của từng tỷ lệ."),
                },
            }
        ),
        "Province": _province(),
        "SchemeItem": _object(_scheme_item_properties()),
        "SchemePage": _object(
            {
                "count": {"type": "integer", "description": _("Số đề án của mọi trang.")},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "pages": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "totals": _object(
                    {
                        "approved_vnd": _money(_("Tổng kinh phí được duyệt của mọi trang.")),
                        "contracted_vnd": _money(_("Tổng giá trị hợp đồng của mọi trang.")),
                        "disbursed_vnd": _money(_("Tổng giải ngân của mọi trang.")),
                        "disbursed_rate": _rate(_("Giải ngân ÷ kinh phí được duyệt, %.")),
                    }
                ),
                "year": {"type": "integer"},
                "fund": {"type": "string"},
                "as_of": {"type": "string", "format": "date"},
                "results": {"type": "array", "items": _ref("SchemeItem")},
            }
        ),
        "SchemeDetail": _object(detail),
        "AggregateRow": _aggregate_row(),
        "Aggregates": _object(
            {
                "year": {"type": "integer"},
                "fund": {"type": "string", "enum": [*Fund.values, "all"]},
                "map": {"type": "string", "enum": ProvinceMap.values},
                "as_of": {"type": "string", "format": "date"},
                "scope": {
                    "type": "string",
                    "enum": ["all", "visible"],
                    "description": _(
                        "all: mọi đề án (cán bộ Bộ, lãnh đạo, quản trị, trang dữ liệu mở); "
                        "visible: chỉ đề án người dùng được xem (cán bộ tỉnh, trung tâm vùng), "
                        "như trên trang tổng quan."
                    ),
                },
                "groups": _object(
                    dict.fromkeys(GROUPS, rows), optional=tuple(GROUPS), minProperties=1
                ),
            }
        ),
    }


def _error(description: str, **extra) -> dict:
    return {
        "description": description,
        "content": {JSON: {"schema": _ref("Error")}},
        **extra,
    }


def _responses() -> dict:
    return {
        "BadRequest": _error(_("Tham số không hợp lệ: errors nêu từng tham số.")),
        "Unauthorized": _error(_("Chưa đăng nhập, khóa API sai hoặc đã bị thu hồi.")),
        "Forbidden": _error(_("Tài khoản của khóa API đã bị khóa.")),
        "NotFound": _error(_("Không có, hoặc người dùng không được xem.")),
        "MethodNotAllowed": _error(_("API chỉ cho phép đọc (GET).")),
        "TooManyRequests": _error(
            _("Vượt giới hạn số yêu cầu (KC_API_RATE)."),
            headers={
                "Retry-After": {
                    "description": _("Số giây cần chờ."),
                    "schema": {"type": "integer"},
                }
            },
        ),
    }


def _operation(
    operation_id: str,
    summary: str,
    description: str,
    parameters: list[str],
    body: str | None,
    *,
    public: bool = False,
    errors: tuple[str, ...] = ("BadRequest",),
) -> dict:
    responses = {
        "200": {
            "description": _("Thành công."),
            "content": {JSON: {"schema": _ref(body) if body else {"type": "object"}}},
        }
    }
    codes = {
        "BadRequest": "400",
        "Unauthorized": "401",
        "Forbidden": "403",
        "NotFound": "404",
        "MethodNotAllowed": "405",
        "TooManyRequests": "429",
    }
    named = list(errors) if public else [*errors, "Unauthorized", "Forbidden"]
    for name in [*named, "MethodNotAllowed", "TooManyRequests"]:
        responses[codes[name]] = {"$ref": f"#/components/responses/{name}"}
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
        "responses": dict(sorted(responses.items())),
    }
    if public:
        operation["security"] = []
    return operation


PROGRAMME = ["year", "fund", "region", "province", "map", "content_area", "sector", "as_of"]
LIST_FILTERS = [
    "q",
    "kind",
    "status",
    "stage",
    "contracted",
    "disbursed",
    "behind",
    "paid_month",
    "implementing_unit",
]


def openapi(server_url: str) -> dict:
    """The OpenAPI 3.1 document of /api/v1/."""
    parameters = _parameters()
    # summary/ and aggregates/ require the year; the scheme list defaults it to this year.
    parameters["year_required"] = {**parameters["year"], "required": True}
    scoped = _(
        "Chỉ gồm đề án người dùng được xem (cán bộ tỉnh: đề án của tỉnh mình, kể cả các tỉnh cũ "
        "đã sáp nhập)."
    )
    paths = {
        "/summary/": {
            "get": _operation(
                "summary",
                _("Số liệu tổng hợp công khai của một năm"),
                _(
                    "Kinh phí duyệt, số đề án duyệt, ký hợp đồng, giải ngân và các tỷ lệ (tử số "
                    "và mẫu số nêu rõ). Công khai, không cần khóa; chỉ số liệu tổng hợp."
                ),
                ["year_required", *PROGRAMME[1:]],
                "Summary",
                public=True,
            )
        },
        "/schemes/": {
            "get": _operation(
                "schemes",
                _("Danh sách đề án"),
                _(
                    "Cùng bộ lọc với trang danh sách đề án; mặc định là các đề án trong kế hoạch "
                    "được duyệt của năm. Sắp xếp theo mã. "
                )
                + scoped,
                [*PROGRAMME, *LIST_FILTERS, "page", "page_size"],
                "SchemePage",
                errors=("BadRequest", "NotFound"),
            )
        },
        "/schemes/{code}/{year}/": {
            "get": _operation(
                "scheme",
                _("Một đề án"),
                _("Thông tin, chuỗi tiền (đến hôm nay) và lịch sử trạng thái. ")
                + _("Đề án người dùng không được xem trả về 404."),
                ["code", "plan_year"],
                "SchemeDetail",
                errors=("NotFound",),
            )
        },
        "/aggregates/": {
            "get": _operation(
                "aggregates",
                _("Số liệu tổng hợp theo năm, vùng, tỉnh và nội dung"),
                _(
                    "Kinh phí duyệt, giải ngân và số đề án, đúng như trang tổng quan tính cho "
                    "người dùng. Theo năm: mọi năm, với các bộ lọc khác. Theo tỉnh: trên bản đồ "
                    "map (mặc định bản đồ có hiệu lực cuối năm). "
                )
                + scoped,
                ["year_required", *PROGRAMME[1:], "by"],
                "Aggregates",
            )
        },
        "/schema/": {
            "get": _operation(
                "schema",
                _("Tài liệu OpenAPI này"),
                _("Công khai."),
                [],
                None,
                public=True,
                errors=(),
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("API khuyến công – Bộ Công Thương"),
            "version": "1.0.0",
            "description": _(
                "API chỉ đọc, JSON. Xác thực bằng khóa API (tạo ở trang “Khóa API” của tài khoản) "
                "trong tiêu đề Authorization: Bearer <khóa>, hoặc phiên đăng nhập của trình "
                "duyệt. Số tiền là số nguyên (đồng); tỷ lệ là chuỗi có 2 chữ số thập phân. Lỗi "
                "trả về JSON {error, errors}, bằng tiếng Anh khi gửi Accept-Language: en."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}, {"sessionAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": _("Khóa API của người dùng."),
                },
                "sessionAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "sessionid",
                    "description": _("Phiên đăng nhập của trình duyệt."),
                },
            },
            "parameters": parameters,
            "schemas": _schemas(),
            "responses": _responses(),
        },
    }


# The human page -------------------------------------------------------------------------------


def _resolve(document: dict, item: dict) -> dict:
    while "$ref" in item:
        node = document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def _type_text(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "object")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " | ".join(str(name) for name in kinds)
    if "array" in kinds and "items" in schema:
        text = f"array[{_type_text(schema['items'])}]"
    if "enum" in schema:
        text += ": " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    return text


def readable(document: dict) -> dict:
    """The document arranged for a template: endpoints with their parameters and answers,
    then each schema's fields."""
    endpoints = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            parameters = [_resolve(document, ref) for ref in operation["parameters"]]
            responses = []
            for code, response in operation["responses"].items():
                resolved = _resolve(document, response)
                schema = resolved.get("content", {}).get(JSON, {}).get("schema", {})
                responses.append(
                    {
                        "code": code,
                        "description": resolved["description"],
                        "body": _type_text(schema),
                    }
                )
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation["operationId"],
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "public": operation.get("security") == [],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type_text(parameter["schema"]),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in parameters
                    ],
                    "responses": responses,
                }
            )
    schemas = [
        {
            "name": name,
            "fields": [
                {
                    "name": field,
                    "type": _type_text(spec),
                    "required": field in schema.get("required", []),
                    "description": spec.get("description", ""),
                }
                for field, spec in schema.get("properties", {}).items()
            ],
        }
        for name, schema in document["components"]["schemas"].items()
    ]
    return {
        "info": document["info"],
        "server": document["servers"][0]["url"],
        "endpoints": endpoints,
        "schemas": schemas,
    }
