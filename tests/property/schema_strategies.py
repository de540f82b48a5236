"""Hypothesis strategies from the JSON Schemas of docs/openapi.yaml.

`Generator(contract, pools)` turns a schema into a strategy of VALID values
(`valid(schema, field)`) and a valid value into an INVALID one
(`invalid_body(schema)`: a mutation that breaks exactly one rule of the
schema, returned with a label that names it). Fields whose valid values the
schema alone cannot give (taxonomy codes, member and meeting ids, unique
e-mail addresses, fresh slugs) come from `pools`, filled from the running
server.

Covers the keywords the document uses: $ref, allOf, anyOf and oneOf (a value of
one alternative), type (also a list),
enum, pattern (for the patterns in the document), format (date, date-time,
uuid, email), minLength/maxLength, minimum/maximum, items, maxItems,
minItems, uniqueItems, required, properties, additionalProperties; the
effective-date pattern (DAY_OR_MONTH) gives real days and months.
"""

import datetime
import uuid

from hypothesis import strategies as st

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x7f"),
    min_size=0, max_size=40)
DATES = st.dates(min_value=datetime.date(2021, 1, 1), max_value=datetime.date(2025, 12, 31)).map(str)
BAD_DATES = st.sampled_from(["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-1-5", "20240105",
                             "05.01.2024", "yesterday", "", "2024-01-01T00:00:00Z", "2024-04-31", "0000-00-00",
                             "99999-01-01", "2024-01-01 ", "２０２４-01-01"])
# The document's pattern of an effective date: YYYY-MM-DD, or YYYY-MM when
# only the month is known.
DAY_OR_MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"
DAYS_OR_MONTHS = st.one_of(DATES, DATES.map(lambda d: d[:7]))
BAD_DAYS_OR_MONTHS = st.one_of(BAD_DATES, st.sampled_from(["2024-13", "2024-4", "2024-00", "2024-04-"]))
_counter = [0]


def unique_suffix():
    _counter[0] += 1
    return f"{_counter[0]}{uuid.uuid4().hex[:8]}"


def text_between(lo, hi):
    """Printable text that does not start or end with white space (the server trims and rejects blanks)."""
    hi = min(hi, 60) if hi is not None else 60
    lo = max(lo or 0, 0)

    def fix(s):
        s = s.strip()
        if len(s) < max(lo, 1):
            s = (s + "abcdefghij" * 10)[:max(lo, 1)]
        return s[:hi].strip() or "x"
    return SAFE_TEXT.map(fix) if lo > 0 else st.one_of(st.just(""), SAFE_TEXT.map(fix))


class Pools:
    """Values the server knows, discovered before the tests run."""

    def __init__(self):
        self.networks = []
        self.sectors = []
        self.themes = []
        self.topics = []
        self.families = []     # theme codes in no family: what a new theme may name as its family
        self.requests = {}     # network id -> [training request id]
        self.members = {}      # network id -> [member id]
        self.meetings = {}     # network id -> [meeting id]
        self.spare_members = []  # (network, member id) that may leave or be erased
        self.spare_tokens = []   # token ids that may be revoked
        self.rotating_tokens = []  # token ids that are only rotated
        self.observations = []   # (network, observation id) that may be retracted
        self.national_observations = []  # ids of national findings that may be retracted
        self.join_requests = []  # ids of pending join requests that may be answered
        self.assets = []         # the dashboard's content-hashed file names
        self.streams = []


class Generator:
    def __init__(self, contract, pools):
        self.contract = contract
        self.pools = pools

    # ---- schema helpers ------------------------------------------------------
    def resolve(self, schema):
        """Dereferences and flattens allOf into one schema (anyOf kept)."""
        schema = self.contract.deref(schema)
        if "allOf" not in schema:
            return schema
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self.resolve(part)
            for k, v in part.items():
                if k == "properties":
                    merged.setdefault("properties", {}).update(v)
                elif k == "required":
                    merged["required"] = sorted(set(merged.get("required", [])) | set(v))
                else:
                    merged.setdefault(k, v)
        return merged

    def kind(self, schema):
        t = schema.get("type")
        if isinstance(t, list):
            t = [x for x in t if x != "null"][0]
        if t is None and "properties" in schema:
            t = "object"
        return t

    # ---- valid values --------------------------------------------------------
    def field_override(self, field, network):
        p = self.pools
        return {
            "sector": st.sampled_from(p.sectors),
            "theme": st.sampled_from(p.themes),
            "topic": st.sampled_from(p.topics),
            "email": st.builds(lambda: f"p{unique_suffix()}@example.org"),
            "meeting_id": st.sampled_from(p.meetings.get(network) or [m for v in p.meetings.values() for m in v]),
            "joint_with": st.lists(st.sampled_from([n for n in p.networks if n != network]), max_size=3,
                                   unique=True),
            "networks": st.lists(st.sampled_from(p.networks), max_size=3, unique=True),
            "attendees": st.lists(st.sampled_from(p.members.get(network) or ["00000000-0000-4000-8000-000000000000"]),
                                  max_size=4, unique=True),
            "themes": st.lists(st.sampled_from(p.themes), max_size=4, unique=True),
            "family": st.sampled_from(p.families),
            "request_id": st.sampled_from(p.requests.get(network) or ["no-request"]),
            "code": st.builds(lambda: "c" + unique_suffix()),
            "id": st.builds(lambda: "net-" + unique_suffix()),
            "token_name": st.builds(lambda: "tok-" + unique_suffix()),
        }.get(field)

    def valid(self, schema, field=None, network=None, context=None):
        override = self.field_override(field, network) if field else None
        if field == "id" and context != "EstablishNetwork":
            override = None
        if field == "code" and context not in ("AddTaxonomyEntry", "AddTheme", "AddTargetGroup"):
            override = None
        if field == "name" and context == "IssueToken":
            override = self.field_override("token_name", network)
        if override is not None:
            return override
        schema = self.resolve(schema)
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        alternatives = schema.get("oneOf") or schema.get("anyOf")
        if alternatives and "type" not in schema and "properties" not in schema:
            # A value of one alternative (never the explicit null).
            return st.one_of([self.valid(a, field, network, context) for a in alternatives
                              if self.contract.deref(a).get("type") != "null"])
        kind = self.kind(schema)
        if kind == "object":
            return self.valid_object(schema, network, context)
        if kind == "array":
            items = self.valid(schema.get("items", {}), None, network)
            return st.lists(items, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 4), 4),
                            unique=bool(schema.get("uniqueItems")))
        if kind == "integer":
            lo = schema.get("minimum", 0)
            hi = schema.get("maximum", lo + 10000)
            return st.integers(min_value=lo, max_value=hi)
        if kind == "boolean":
            return st.booleans()
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date":
                return DATES
            if fmt == "date-time":
                return DATES.map(lambda d: d + "T12:00:00Z")
            if fmt == "uuid":
                return st.uuids().map(str)
            if fmt == "email":
                return st.builds(lambda: f"p{unique_suffix()}@example.org")
            if schema.get("pattern") == DAY_OR_MONTH:
                return DAYS_OR_MONTHS
            if "pattern" in schema:
                return st.from_regex(schema["pattern"], fullmatch=True).filter(
                    lambda s: len(s) <= schema.get("maxLength", 10 ** 6))
            return text_between(schema.get("minLength", 0), schema.get("maxLength"))
        return st.none()

    def valid_object(self, schema, network, context=None):
        props = schema.get("properties", {})
        required = set(schema.get("required", []))

        @st.composite
        def build(draw):
            out = {}
            extra = set()
            if "anyOf" in schema:
                extra = set(draw(st.sampled_from(schema["anyOf"])).get("required", []))
            for key, sub in props.items():
                if key in required or key in extra or draw(st.booleans()):
                    out[key] = draw(self.valid(sub, key, network, context))
            return out
        return build()

    def valid_body(self, ref, network):
        """A valid request body of the schema `ref` (its name picks the special fields)."""
        return self.valid_object(self.resolve({"$ref": ref}), network, ref.rsplit("/", 1)[-1])

    # ---- invalid values ------------------------------------------------------
    def wrong_type_value(self, schema):
        kind = self.kind(self.resolve(schema))
        choices = {"string": [12, True, None, ["a"], {"a": 1}, 1.5],
                   "integer": ["12", 1.5, True, None, [], {}, 1e300, 2 ** 70],
                   "array": ["a", 3, {"a": 1}, None, True],
                   "object": ["a", 3, [], None, False],
                   "boolean": ["true", 1, None]}.get(kind, [None])
        return st.sampled_from(choices)

    def mutations(self, schema, value):
        """Strategies of (label, invalid value) for one valid value of `schema`."""
        schema = self.resolve(schema)
        kind = self.kind(schema)
        if (schema.get("oneOf") or schema.get("anyOf")) and "type" not in schema and "properties" not in schema:
            # Alternatives (one of which may be null): a type none of them has.
            return [st.sampled_from([3, True, {"a": 1}]).map(lambda v: ("wrong type", v))]
        out = [self.wrong_type_value(schema).map(lambda v: ("wrong type", v))]
        if "enum" in schema:
            out.append(st.text(min_size=1, max_size=12).filter(lambda s: s not in schema["enum"])
                       .map(lambda v: ("not in enum", v)))
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date":
                out.append(BAD_DATES.map(lambda v: ("bad date", v)))
            if schema.get("pattern") == DAY_OR_MONTH:
                out.append(BAD_DAYS_OR_MONTHS.map(lambda v: ("bad date", v)))
            if fmt == "uuid":
                out.append(st.sampled_from(["not-a-uuid", "1234", "", "g" * 36]).map(lambda v: ("bad uuid", v)))
            if fmt == "email":
                out.append(st.sampled_from(["no-at-sign", "", "a@", "@b", "a b@c"]).map(lambda v: ("bad email", v)))
            if "maxLength" in schema:
                n = schema["maxLength"]
                out.append(st.sampled_from([n + 1, n * 3 + 7, 200_000]).map(lambda k: ("too long", "x" * k)))
            else:
                out.append(st.just(("huge string", "y" * 300_000)))
            if schema.get("minLength", 0) >= 1:
                out.append(st.just(("too short", "")))
            if "pattern" in schema and schema["pattern"] != DAY_OR_MONTH:
                out.append(st.sampled_from(["UPPER CASE", "-lead", "has space", "ä", "x" * 70 + "!"])
                           .map(lambda v: ("pattern", v)))
        if kind == "integer":
            if "minimum" in schema:
                out.append(st.integers(max_value=schema["minimum"] - 1, min_value=schema["minimum"] - 10 ** 6)
                           .map(lambda v: ("below minimum", v)))
            if "maximum" in schema:
                out.append(st.integers(min_value=schema["maximum"] + 1, max_value=schema["maximum"] + 10 ** 6)
                           .map(lambda v: ("above maximum", v)))
            out.append(st.just(("beyond int64", 2 ** 64 + 5)))
        if kind == "array":
            if "maxItems" in schema:
                out.append(st.just(("too many items", [value[0] if value else "x"] * (schema["maxItems"] + 1))))
            item_schema = self.resolve(schema.get("items", {}))
            out.append(self.wrong_type_value(item_schema).map(lambda v: ("wrong item type", [v])))
            if schema.get("uniqueItems") and value:
                out.append(st.just(("duplicate items", [value[0], value[0]])))
        if kind == "object":
            props = schema.get("properties", {})
            required = [k for k in schema.get("required", []) if k in value]
            if required:
                out.append(st.sampled_from(required).map(
                    lambda k: ("missing required " + k, {x: y for x, y in value.items() if x != k})))
            if schema.get("additionalProperties") is False:
                out.append(st.sampled_from(["colour", "ID", "extra_field", "__proto__", ""]).map(
                    lambda k: ("unknown field " + repr(k), dict(value, **{k: 1}))))
            present = [k for k in value if k in props]
            if present:
                @st.composite
                def nested(draw):
                    key = draw(st.sampled_from(present))
                    label, bad = draw(st.one_of(self.mutations(props[key], value[key])))
                    return (f"{key}: {label}", dict(value, **{key: bad}))
                out.append(nested())
        return out

    def invalid_body(self, ref, valid_value):
        return st.one_of(self.mutations({"$ref": ref}, valid_value))

