"""One marshmallow schema makes the HTML form, parses what comes back, and explains errors."""

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from brique.forms import display_value, form_fields, input_type, load_form, translate_errors


class EventSchema(Schema):
    title = fields.String(
        required=True,
        validate=validate.Length(min=2, max=5),
        metadata={"label": _l("Title"), "description": _l("Short.")},
    )
    public = fields.Boolean(load_default=False, metadata={"label": "Public"})
    places = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=10)
    )
    seats = fields.Integer(load_default=3)
    tags = fields.List(fields.String(), load_default=list)
    starts_at = fields.DateTime(load_default=None, allow_none=True)
    day = fields.Date(load_default=None, allow_none=True)
    kind = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(["walk", "talk"], labels=["A walk", "A talk"]),
    )
    colour = fields.String(load_default="#123456", metadata={"widget": "color"})
    email = fields.Email(load_default="")
    secret = fields.String(load_default="", metadata={"hidden": True})


@pytest.fixture
def app_config():
    return {"DEFAULT_LOCALE": "en"}


@pytest.fixture
def request_in(app):
    """Run code inside a request whose browser asks for ``language``."""

    @contextmanager
    def enter(language):
        # A fresh app context too: Flask-Babel keeps the chosen language in ``g``.
        with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
            yield

    return enter


def submit(**values):
    form = MultiDict()
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            form.add(key, item)
    return load_form(EventSchema, form)


def by_name(form):
    return {field.name: field for field in form}


# --- building the form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("title", "text"),
        ("public", "checkbox"),
        ("places", "number"),
        ("tags", "list"),
        ("starts_at", "datetime-local"),
        ("day", "date"),
        ("kind", "select"),
        ("colour", "color"),  # an explicit widget wins
        ("email", "email"),
    ],
)
def test_each_field_gets_the_input_its_type_calls_for(name, expected):
    assert input_type(EventSchema().fields[name]) == expected


def test_fields_carry_labels_hints_requirements_and_limits(app):
    fields_ = by_name(form_fields(EventSchema))
    title = fields_["title"]
    assert (title.label, title.description, title.required) == ("Title", "Short.", True)
    assert title.attributes == {"maxlength": 5}
    assert fields_["places"].label == "places"  # no label given: the field's name
    assert fields_["places"].attributes == {"min": 1, "max": 10}
    assert "secret" not in fields_  # hidden fields are never shown


def test_fields_start_with_the_schemas_defaults(app):
    fields_ = by_name(form_fields(EventSchema))
    assert fields_["public"].value is False and fields_["seats"].value == 3
    assert fields_["tags"].value == "" and fields_["colour"].value == "#123456"
    assert fields_["places"].value is None


def test_a_select_offers_the_choices_of_its_one_of_validator(app):
    kind = by_name(form_fields(EventSchema))["kind"]
    assert kind.choices == [("walk", "A walk"), ("talk", "A talk")]


def test_explicit_choices_win_over_the_validator(app):
    class Choice(Schema):
        size = fields.String(
            validate=validate.OneOf(["s", "l"]), metadata={"choices": [("s", "Small")]}
        )

    assert form_fields(Choice)[0].choices == [("s", "Small")]


def test_a_prefix_keeps_two_forms_apart_on_one_page(app):
    assert form_fields(EventSchema, prefix="step3-")[0].name == "step3-title"
    data, errors, _raw = load_form(
        EventSchema, MultiDict({"step3-title": "Vélo", "title": "ignored"}), prefix="step3-"
    )
    assert errors == {} and data["title"] == "Vélo"


# --- reading what comes back ----------------------------------------------------------------


def test_a_checkbox_is_true_when_sent_and_false_when_absent(app):
    assert submit(title="Vélo", public="1")[0]["public"] is True
    assert submit(title="Vélo")[0]["public"] is False


def test_a_list_is_typed_with_commas_semicolons_or_lines(app):
    data, errors, _raw = submit(title="Vélo", tags="vélo, piste;  école\nsécurité,, ")
    assert errors == {}
    assert data["tags"] == ["vélo", "piste", "école", "sécurité"]


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-03-10T14:30", datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),  # winter: UTC+1
        ("2026-07-01T14:30", datetime(2026, 7, 1, 12, 30, tzinfo=UTC)),  # summer: UTC+2
    ],
)
def test_a_local_date_and_time_is_read_in_the_institutions_zone_and_stored_in_utc(app, typed, utc):
    data, errors, _raw = submit(title="Vélo", starts_at=typed)
    assert errors == {}
    assert data["starts_at"] == utc
    assert display_value("datetime-local", data["starts_at"]) == typed


def test_a_stored_utc_time_is_shown_in_local_time(app):
    shown = by_name(
        form_fields(EventSchema, {"starts_at": datetime(2026, 3, 10, 13, 30, tzinfo=UTC)})
    )
    assert shown["starts_at"].value == "2026-03-10T14:30"


def test_a_form_sent_back_with_errors_keeps_the_local_time_typed(app):
    data, errors, raw = submit(title="x", starts_at="2026-03-10T14:30")
    assert data is None and "title" in errors
    shown = by_name(form_fields(EventSchema, raw, errors))
    assert shown["starts_at"].value == "2026-03-10T14:30"
    assert shown["title"].value == "x" and shown["title"].errors


def test_a_select_accepts_its_choices_only(app, request_in):
    assert submit(title="Vélo", kind="talk")[0]["kind"] == "talk"
    assert submit(title="Vélo", kind="")[0]["kind"] is None  # optional: nothing chosen
    with request_in("en"):
        _data, errors, _raw = submit(title="Vélo", kind="party")
    assert errors == {"kind": ["Choose one of: walk, talk."]}


def test_empty_optional_fields_take_their_defaults(app):
    data, errors, _raw = submit(title="Vélo", places="", seats="", day="")
    assert errors == {}
    assert data["places"] is None and data["seats"] == 3 and data["day"] is None


def test_the_same_schema_validates_json(app):
    assert EventSchema().load({"title": "Vélo", "tags": ["a"]})["tags"] == ["a"]


# --- errors in the user's language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "english"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({}, "title", "This field is required."),
        ({"title": "x"}, "title", "Enter 2 to 5 characters."),
        ({"title": "Vélo", "places": "many"}, "places", "Enter a whole number."),
        ({"title": "Vélo", "places": "11"}, "places", "Enter a value from 1 to 10."),
        ({"title": "Vélo", "starts_at": "tomorrow"}, "starts_at", "Enter a valid date and time."),
        ({"title": "Vélo", "day": "31/02/2026"}, "day", "Enter a valid date."),
        ({"title": "Vélo", "email": "nobody"}, "email", "Enter a valid e-mail address."),
    ],
)
def test_marshmallows_messages_are_rewritten_for_people(request_in, values, field, english):
    with request_in("en"):
        data, errors, _raw = submit(**values)
    assert data is None
    assert errors[field] == [english]


@pytest.mark.parametrize(
    ("values", "field", "french"),
    [
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"title": "Vélo", "places": "11"}, "places", None),
    ],
)
def test_messages_follow_the_visitors_language(request_in, values, field, french):
    with request_in("en"):
        english = submit(**values)[1][field]
    with request_in("fr"):
        translated = submit(**values)[1][field]
    assert translated != english  # the catalog translates the rewritten message
    if french:
        assert translated == [french]


def test_nested_messages_are_flattened_per_field(app):
    errors = translate_errors({"tags": {0: ["Not a valid string."]}, "_schema": ["Dates clash."]})
    assert errors == {"tags": ["Enter some text."], "_schema": ["Dates clash."]}


def test_a_message_that_is_not_a_mapping_belongs_to_the_whole_form(app):
    assert translate_errors(["These details already verified another account."]) == {
        "_schema": ["These details already verified another account."]
    }
