"""The OpenAPI 3.1 description of /api/v1/ (served at /api/v1/openapi.json)."""

API_METRICS = [
    "started",
    "completion_rate",
    "dropout_rate",
    "hired_after_completion_rate",
    "hire_rate",
    "hired_into",
    "dropouts_by_reason",
    "dropouts_by_phase",
    "intake_vs_quota",
    "internal_recruitment_rate",
    "sick_absence_rate",
    "trained_supervisor_share",
    "supervisor_coverage",
    "trainees_per_supervisor",
]
BREAKDOWNS = ["hired_into", "dropouts_by_reason", "dropouts_by_phase"]

_ERROR = {
    "description": "Fejl med en dansk forklaring.",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}}
        }
    },
}
_NUMBER = {"type": ["number", "null"]}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def openapi_schema(server_url: str) -> dict:
    """The schema as a dict; field descriptions are Danish like the rest of the portal."""
    value = {
        "type": "object",
        "required": ["metric", "value", "numerator", "denominator"],
        "properties": {
            "metric": {"type": "string"},
            "value": {**_NUMBER, "description": "Procent for andele, antal for tællinger."},
            "numerator": _NUMBER,
            "denominator": _NUMBER,
            "suppressed": {
                "type": "boolean",
                "description": "Sand når tallet bygger på færre end 5 personer og skjules.",
            },
            "municipality": {"type": "integer"},
            "department": {"type": ["integer", "null"]},
            "programme": {"type": ["string", "null"]},
            "year": {"type": "integer"},
        },
    }
    breakdown = {
        "type": "object",
        "required": ["metric", "rows"],
        "properties": {
            "metric": {"type": "string"},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "count"],
                    "properties": {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "count": {"type": ["integer", "null"]},
                        "suppressed": {"type": "boolean"},
                    },
                },
            },
        },
    }
    measurement = {
        "type": "object",
        "properties": {
            "period": {"type": "integer"},
            "value": _NUMBER,
            "numerator": _NUMBER,
            "denominator": _NUMBER,
            "suppressed": {"type": "boolean"},
            "source": {"type": "string", "enum": ["computed", "manual"]},
            "recorded_at": {"type": "string", "format": "date-time"},
            "note": {"type": "string"},
        },
    }
    indicator = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "metric": {"type": ["string", "null"]},
            "unit": {"type": "string", "enum": ["percent", "count", "ratio"]},
            "direction": {"type": "string", "enum": ["higher", "lower"]},
            "department": {"type": ["integer", "null"]},
            "programme": {"type": ["string", "null"]},
            "goal": {"type": ["integer", "null"]},
            "focus_area": {"type": ["integer", "null"]},
            "baseline": {"type": "object"},
            "target": {"type": "object"},
            "measurements": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Measurement"},
            },
        },
    }
    errors = {"401": _ERROR, "404": _ERROR}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Strategiportalen API",
            "version": "1",
            "description": (
                "Læseadgang for BI-værktøjer til nøgletal og målinger. Samme afgrænsning og "
                "samme regel for små tal (færre end 5 personer) som portalens sider."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/indicators/": {
                "get": {
                    "summary": "Nøgletal med mål og målinger",
                    "responses": {
                        "200": {
                            "description": "Nøgletallene i brugerens kommune og fagområder.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Indicator"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **errors,
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
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Nøgletallet.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Indicator"}
                                }
                            },
                        },
                        **errors,
                    },
                }
            },
            "/metrics/{metric}/": {
                "get": {
                    "summary": "Et nøgletal beregnet efter DOMAIN-definitionen",
                    "description": (
                        "Kohortetal (completion_rate, dropout_rate, hired_after_completion_rate, "
                        "hire_rate, hired_into, started) gælder elever med startår year; "
                        "hændelser (dropouts_by_*, sick_absence_rate) kalenderåret. Med "
                        "cohorts=finished bruges de senest afsluttede årgange til og med year."
                    ),
                    "parameters": [
                        {
                            "name": "metric",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": API_METRICS},
                        },
                        _query("municipality", "Kommunenummer (fx 250).", {"type": "integer"}),
                        _query("department", "Fagområdets id.", {"type": "integer"}),
                        _query("programme", "Uddannelsens kode (fx SSA).", {"type": "string"}),
                        _query("year", "Årstal.", {"type": "integer"}),
                        _query(
                            "cohorts",
                            "finished: senest afsluttede årgange.",
                            {"type": "string", "enum": ["finished"]},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Værdi med tæller og nævner, eller en fordeling "
                            f"({', '.join(BREAKDOWNS)}).",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": "#/components/schemas/Value"},
                                            {"$ref": "#/components/schemas/Breakdown"},
                                        ]
                                    }
                                }
                            },
                        },
                        "400": _ERROR,
                        **errors,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Personlig API-nøgle udstedt af en administrator.",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
            "schemas": {
                "Value": value,
                "Breakdown": breakdown,
                "Measurement": measurement,
                "Indicator": indicator,
            },
        },
    }
