"""The OpenAPI 3.1 description of /api/v1/ (served at /api/v1/openapi.json).

BI connectors are generated from this document, so it is a contract: every parameter says
what it accepts (type, range, enum) and `apps/api/views.py` accepts exactly that; every
response the API can give is listed with its shape. tests/api/test_schemathesis.py holds
the API to it.
"""

from apps.api.schema_goals import goal_component, goals_path
from apps.api.schema_initiatives import effect_component, effect_path
from apps.kpis.choices import Direction, MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.registry import REGISTRY, Period, api_breakdowns, api_metrics

# What the query parameters accept (inclusive); the views validate with the same bounds.
YEAR_RANGE = (1990, 2100)
MUNICIPALITY_RANGE = (1, 32767)  # the stored kommunenummer is a small positive integer
DEPARTMENT_RANGE = (1, 2**63 - 1)  # ids are 64-bit
ID_RANGE = DEPARTMENT_RANGE

ERROR_DESCRIPTIONS = {
    "400": "Forkert forespørgsel: en parameter har en værdi, skemaet ikke tillader, er angivet "
    "to gange eller indeholder et NUL-tegn.",
    "401": "Ingen, en ugyldig eller en udløbet API-nøgle (og ingen session).",
    "403": "Brugeren har ingen rolle i en kommune.",
    "404": "Findes ikke, eller ligger uden for brugerens afgrænsning.",
    "500": "Fejl hos os; detail indeholder en fejlkode til support.",
}
_NUMBER = {"type": ["number", "null"]}
_INTEGER_OR_NULL = {"type": ["integer", "null"]}
_JSON = "application/json"


def _error(status: str) -> dict:
    response = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == "401":
        response["headers"] = {
            "WWW-Authenticate": {
                "description": "Bearer-udfordring (RFC 6750); invalid_token for en udløbet nøgle.",
                "schema": {"type": "string"},
            }
        }
    return response


def _errors(*statuses: str) -> dict:
    return {status: _error(status) for status in statuses}


def _ok(description: str, schema: dict) -> dict:
    return {"200": {"description": description, "content": {_JSON: {"schema": schema}}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _range(bounds: tuple[int, int], **extra) -> dict:
    return {"type": "integer", "minimum": bounds[0], "maximum": bounds[1], **extra}


def _object(properties: dict, *, required: list[str] | None = None, **extra) -> dict:
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        **extra,
    }


def _components(programmes: list[str]) -> dict:
    filters = {
        "municipality": {"type": "integer", "description": "Kommunenummer."},
        "department": {**_INTEGER_OR_NULL, "description": "Fagområdets id, hvis angivet."},
        "programme": {
            "type": ["string", "null"],
            "enum": [*programmes, None],
            "description": "Uddannelsens kode, hvis angivet.",
        },
        "year": {"type": "integer", "description": "Det år, tallet gælder."},
        "cohorts": {
            "type": "array",
            "description": "Med cohorts=finished: de årgange, der indgår.",
            "items": _object({"programme": {"type": "string"}, "year": {"type": "integer"}}),
        },
    }
    required_filters = ["municipality", "department", "programme", "year"]
    value = _object(
        {
            "metric": {"type": "string", "enum": api_metrics()},
            "value": {**_NUMBER, "description": "Procent for andele, antal for tællinger."},
            "numerator": _NUMBER,
            "denominator": _NUMBER,
            "suppressed": {
                "type": "boolean",
                "description": (
                    "Sand når tallet skjules efter reglen for små tal (1-4 personer, eller "
                    "når et lille tal ellers kunne regnes ud)."
                ),
            },
            "rounded": {
                "type": "boolean",
                "description": (
                    "Sand når antallene (og værdien beregnet af dem) er afrundet til nærmeste "
                    "5, som for roller, der kun ser samlede tal."
                ),
            },
            "maximum": {
                **_NUMBER,
                "description": "intake_vs_quota: dimensioneringens maksimum, når den er et "
                "interval (denominator er minimum). Mellem de to er dimensioneringen nået.",
            },
            "note": {
                "type": "string",
                "description": "intake_vs_quota: hvad tallet er målt mod, fx at fagområdet "
                "ikke har sin egen dimensionering (value er da null).",
            },
            **filters,
        },
        required=["metric", "value", "numerator", "denominator", "suppressed", *required_filters],
    )
    quota = _object(
        {
            "programme": {"type": "string", "description": "Uddannelsens kode."},
            "department": {
                **_INTEGER_OR_NULL,
                "description": "Fagområdets id; null: dimensioneringen for hele kommunen.",
            },
            "year": {"type": "integer"},
            "minimum": {"type": "integer", "minimum": 0},
            "maximum": {
                **_INTEGER_OR_NULL,
                "description": "Øvre grænse, når dimensioneringen er et interval (fx 30-35).",
            },
        },
        additionalProperties=False,
    )
    breakdown = _object(
        {
            "metric": {"type": "string", "enum": api_breakdowns()},
            "rounded": {"type": "boolean"},
            "rows": {
                "type": "array",
                "items": _object(
                    {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "count": {**_INTEGER_OR_NULL, "minimum": 0},
                        "suppressed": {"type": "boolean"},
                    }
                ),
            },
            **filters,
        },
        required=["metric", "rows", *required_filters],
    )
    measurement = _object(
        {
            "period": {"type": "integer"},
            "value": _NUMBER,
            "numerator": _NUMBER,
            "denominator": _NUMBER,
            "suppressed": {"type": "boolean"},
            "rounded": {"type": "boolean"},
            "source": {"type": "string", "enum": list(MeasurementSource.values)},
            "recorded_at": {"type": "string", "format": "date-time"},
            "note": {"type": "string"},
        }
    )
    indicator = _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "metric": {"type": ["string", "null"], "enum": [*Metric.values, None]},
            "unit": {"type": "string", "enum": list(Unit.values)},
            "direction": {"type": "string", "enum": list(Direction.values)},
            "department": _INTEGER_OR_NULL,
            "programme": {"type": ["string", "null"]},
            "goal": _INTEGER_OR_NULL | {"deprecated": True},
            "goals": {"type": "array", "items": {"type": "integer"}},
            "focus_area": _INTEGER_OR_NULL,
            "baseline": _object({"value": _NUMBER, "period": _INTEGER_OR_NULL}),
            "target": _object(
                {
                    "value": _NUMBER,
                    "period": _INTEGER_OR_NULL,
                    "kind": {"type": "string", "enum": list(TargetKind.values)},
                }
            ),
            "measurements": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Measurement"},
            },
        }
    )
    absence_warnings = _object(
        {
            "metric": {"type": "string", "enum": ["absence_warnings"]},
            "value": {**_NUMBER, "description": "Andel markerede elever i procent."},
            "numerator": {**_NUMBER, "description": "Elever med sygefravær over tærsklen."},
            "denominator": {
                **_NUMBER,
                "description": "Aktive elever med fraværsrækker i perioden.",
            },
            "suppressed": value["properties"]["suppressed"],
            "rounded": value["properties"]["rounded"],
            "municipality": filters["municipality"],
            "department": filters["department"],
            "threshold": {"type": "number", "description": "Kommunens tærskel i procent."},
            "first_month": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Periodens første måned (null: endnu ikke beregnet).",
            },
            "last_month": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Periodens seneste måned: den seneste i kommunens fraværsdata.",
            },
        }
    )
    error = _object(
        {"detail": {"type": "string", "description": "Forklaring på dansk."}},
        additionalProperties=False,
    )
    return {
        "securitySchemes": {
            "token": {
                "type": "http",
                "scheme": "bearer",
                "description": (
                    "Personlig API-nøgle udstedt af en administrator; den udløber efter "
                    "API_TOKEN_LIFETIME_DAYS dage (normalt 12 måneder)."
                ),
            },
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        },
        "schemas": {
            "Value": value,
            "Breakdown": breakdown,
            "Measurement": measurement,
            "Indicator": indicator,
            "Goal": goal_component(),
            "InitiativeEffect": effect_component(),
            "AbsenceWarnings": absence_warnings,
            "Quota": quota,
            "Error": error,
        },
    }


def _period_description() -> str:
    """What `year` means per metric, from each metric's period rule in the registry."""

    def names(period: str) -> str:
        return ", ".join(m for m in api_metrics() if REGISTRY[m].period == period)

    pooled = ", ".join(m for m in api_metrics() if REGISTRY[m].pools_cohorts)
    return (
        f"Kohortetal ({names(Period.COHORT)}) gælder elever med startår year; hændelser "
        f"({names(Period.CALENDAR)}) kalenderåret; vejledertal ({names(Period.STATE)}) "
        "tilstanden ved seneste genberegning. Uden year: seneste hele år med data. Med "
        f"cohorts=finished ({pooled}) bruges de senest afsluttede årgange til og med year."
    )


def openapi_schema(server_url: str, *, programmes: list[str]) -> dict:
    """The schema as a dict; field descriptions are Danish like the rest of the portal.
    `programmes` are the programme codes the `programme` parameter accepts."""
    metric_parameters = [
        {
            "name": "metric",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": api_metrics()},
        },
        _query(
            "municipality",
            "Kommunenummer (fx 250). Uden: brugerens egen kommune. En anden kommune end "
            "brugerens er kun for KKR-analytikere; ellers 404.",
            _range(MUNICIPALITY_RANGE),
        ),
        _query(
            "department",
            "Fagområdets id. Et fagområde uden for brugerens afgrænsning giver 404.",
            _range(DEPARTMENT_RANGE, format="int64"),
        ),
        _query("programme", "Uddannelsens kode.", {"type": "string", "enum": programmes}),
        _query(
            "year",
            "Årstal. Uden: det seneste år med data.",
            _range(YEAR_RANGE),
        ),
        _query(
            "cohorts",
            "finished: senest afsluttede årgange.",
            {"type": "string", "enum": ["finished"]},
        ),
    ]
    data_errors = _errors("400", "401", "403", "404", "500")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Strategiportalen API",
            "version": "1",
            "description": (
                "Læseadgang for BI-værktøjer til nøgletal og målinger. Samme afgrænsning og "
                "samme regel for små tal som portalens sider (SECURITY.md: 1-4 personer skjules; "
                "roller, der kun ser samlede tal, får antal afrundet til nærmeste 5). Kun GET "
                "(samt HEAD og OPTIONS); andre metoder giver 405 med Allow. Alle fejl er JSON: "
                '{"detail": "…"} på dansk. Lister er ikke sideinddelte: de indeholder alt '
                "inden for brugerens afgrænsning."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/": {
                "get": {
                    "summary": "Oversigt over API'ets adresser",
                    "security": [],
                    "responses": {
                        **_ok(
                            "Adresserne på skemaet, nøgletallene, målsætningerne og hvert beregnet "
                            "nøgletal.",
                            _object(
                                {
                                    "openapi": {"type": "string"},
                                    "indicators": {"type": "string"},
                                    "goals": {"type": "string"},
                                    "absence_warnings": {"type": "string"},
                                    "quotas": {"type": "string"},
                                    "metrics": _object(
                                        {m: {"type": "string"} for m in api_metrics()}
                                    ),
                                }
                            ),
                        ),
                        **_errors("400", "500"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "Dette skema",
                    "security": [],
                    "responses": {
                        **_ok("OpenAPI 3.1-beskrivelsen.", {"type": "object"}),
                        **_errors("400", "500"),
                    },
                }
            },
            "/indicators/": {
                "get": {
                    "summary": "Nøgletal med mål og målinger",
                    "responses": {
                        **_ok(
                            "Nøgletallene i brugerens kommune og fagområder (alle, ikke "
                            "sideinddelt).",
                            _object(
                                {
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Indicator"},
                                    }
                                }
                            ),
                        ),
                        **data_errors,
                    },
                }
            },
            "/indicators/{id}/": {
                "get": {
                    "summary": "Ét nøgletal",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": _range(ID_RANGE, format="int64"),
                        }
                    ],
                    "responses": {
                        **_ok("Nøgletallet.", {"$ref": "#/components/schemas/Indicator"}),
                        **data_errors,
                    },
                }
            },
            "/metrics/absence_warnings/": {
                "get": {
                    "summary": "Elever med højt sygefravær (tidlig varsling)",
                    "description": (
                        "Aktive elever, hvis sygedage ÷ planlagte dage i kommunens tre seneste "
                        "måneder med fraværsdata er over kommunens tærskel (normalt 10 %), ud af "
                        "de aktive elever med fraværsrækker i perioden. Fra seneste beregning "
                        "(efter hver import og hver nat). Uden department: en leders egne "
                        "fagområder, ellers hele kommunen."
                    ),
                    "parameters": metric_parameters[1:3],
                    "responses": {
                        **_ok(
                            "Andelen med tæller og nævner.",
                            {"$ref": "#/components/schemas/AbsenceWarnings"},
                        ),
                        **data_errors,
                    },
                }
            },
            "/quotas/": {
                "get": {
                    "summary": "Dimensioneringer pr. uddannelse og år",
                    "parameters": [metric_parameters[1], metric_parameters[4]],
                    "responses": {
                        **_ok(
                            "Kommunens dimensioneringer (minimum, eller interval), for hele "
                            "kommunen og pr. fagområde.",
                            _object(
                                {
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Quota"},
                                    }
                                }
                            ),
                        ),
                        **data_errors,
                    },
                }
            },
            "/metrics/{metric}/": {
                "get": {
                    "summary": "Et nøgletal beregnet efter DOMAIN-definitionen",
                    "description": _period_description(),
                    "parameters": metric_parameters,
                    "responses": {
                        **_ok(
                            "Værdi med tæller og nævner, eller en fordeling "
                            f"({', '.join(api_breakdowns())}).",
                            {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/Value"},
                                    {"$ref": "#/components/schemas/Breakdown"},
                                ]
                            },
                        ),
                        **data_errors,
                    },
                }
            },
            "/goals/": goals_path(
                query=_query,
                id_range=ID_RANGE,
                municipality_range=MUNICIPALITY_RANGE,
                ok=_ok,
                errors=_errors,
            ),
            "/initiatives/{id}/effect/": effect_path(id_range=ID_RANGE, ok=_ok, errors=_errors),
        },
        "components": _components(programmes),
    }
