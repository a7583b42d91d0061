"""The OpenAPI description of /initiatives/{id}/effect/ (apps/api/initiatives.py), merged into
the schema by `apps.api.schema.openapi_schema`."""

from apps.kpis.choices import Unit

_NUMBER = {"type": ["number", "null"]}


def _object(properties: dict) -> dict:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def effect_component() -> dict:
    """The `InitiativeEffect` schema."""
    point = _object(
        {
            "period": {"type": "integer", "description": "År."},
            "value": {
                **_NUMBER,
                "description": "Årets værdi; null når den skjules efter reglen for små tal.",
            },
            "suppressed": {"type": "boolean"},
        }
    )
    counts = _object(
        {
            "numerator": {
                **_NUMBER,
                "description": "Summen af årenes tællere; null når et år mangler den eller "
                "skjules.",
            },
            "denominator": {**_NUMBER, "description": "Summen af årenes nævnere."},
        }
    )
    indicator = _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "unit": {"type": "string", "enum": list(Unit.values)},
            "before": {
                "type": "array",
                "items": point,
                "description": "Målingerne i årene Y-4 til Y-1 (Y: implementeringsåret).",
            },
            "after": {
                "type": "array",
                "items": point,
                "description": "Målingerne i årene Y+1 til Y+4; Y selv tæller ikke med.",
            },
            "before_mean": {
                **_NUMBER,
                "description": "Simpelt gennemsnit af årenes værdier før; null uden værdier "
                "eller når et år skjules.",
            },
            "after_mean": {**_NUMBER, "description": "Simpelt gennemsnit af årenes værdier efter."},
            "change_points": {
                **_NUMBER,
                "description": "after_mean − before_mean i nøgletallets enhed (procentpoint "
                "for andele).",
            },
            "counts": _object({"before": counts, "after": counts}),
            "caution": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Forbehold på dansk: få personer, skjulte år, kun ét år.",
            },
            "other_initiatives": {
                "type": "array",
                "description": "Andre indsatser på samme nøgletal implementeret i Y-4 til Y+4.",
                "items": _object(
                    {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "implemented_year": {"type": "integer"},
                    }
                ),
            },
        }
    )
    return _object(
        {
            "initiative": {"type": "integer", "description": "Indsatsens id."},
            "implemented_year": {
                "type": ["integer", "null"],
                "description": "Året, indsatsen blev implementeret (Y); null når det ikke er "
                "angivet.",
            },
            "message": {
                "type": ["string", "null"],
                "description": "Forklaring på dansk, når der intet er at vise (intet år, "
                "ingen nøgletal); ellers null.",
            },
            "indicators": {"type": "array", "items": indicator},
        }
    )


def effect_path(*, id_range, ok, errors) -> dict:
    """The `/initiatives/{id}/effect/` path item."""
    return {
        "get": {
            "summary": "En indsats' effekt: nøgletallene før og efter implementeringsåret",
            "description": (
                "For hvert nøgletal, der følger indsatsens målsætninger og som brugeren kan "
                "se: værdierne i op til fire år før og efter implementeringsåret, gennemsnit, "
                "ændring i point og antallene bag. Samme regel for små tal som /indicators/. "
                "En indsats uden for brugerens kommune giver 404."
            ),
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {
                        "type": "integer",
                        "minimum": id_range[0],
                        "maximum": id_range[1],
                        "format": "int64",
                    },
                }
            ],
            "responses": {
                **ok("Effekten.", {"$ref": "#/components/schemas/InitiativeEffect"}),
                **errors("400", "401", "403", "404", "500"),
            },
        }
    }
