"""The OpenAPI description of /goals/ (apps/api/goals.py), merged into the schema by
`apps.api.schema.openapi_schema`."""

from apps.strategy.choices import GoalStatus, SuggestedStatus

_INTEGER_OR_NULL = {"type": ["integer", "null"]}


def goal_component() -> dict:
    """The `Goal` schema: one goal as the list gives it."""
    properties = {
        "id": {"type": "integer"},
        "text": {"type": "string", "description": "Målsætningens tekst."},
        "strategy": {"type": "integer", "description": "Strategiens (versionens) id."},
        "focus_area": {"type": "integer", "description": "Indsatsområdets id."},
        "department": {
            **_INTEGER_OR_NULL,
            "description": "Fagområdets id; null for et fælles mål for hele kommunen.",
        },
        "owner": {
            "type": ["string", "null"],
            "description": (
                "Den ansvarliges navn; null uden ansvarlig, og for roller, der ikke læser "
                "kommunens strategi (KKR-analytikere)."
            ),
        },
        "follow_up_date": {
            "type": ["string", "null"],
            "format": "date",
            "description": "Næste opfølgningsdato (ISO 8601), eller null.",
        },
        "status": {
            "type": "string",
            "enum": list(GoalStatus.values),
            "description": "Den status, den ansvarlige har sat.",
        },
        "suggested_status": {
            "type": ["string", "null"],
            "enum": [*SuggestedStatus.values, None],
            "description": (
                "Den status, de tilknyttede nøgletals udvikling foreslår; null når intet "
                "nøgletal er knyttet til målsætningen."
            ),
        },
        "indicators": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Id'er på de tilknyttede nøgletal, som brugeren kan se (/indicators/).",
        },
        "initiatives": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Id'er på de indsatser, der skal hjælpe med at nå målsætningen.",
        },
    }
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def goals_path(*, query, id_range, municipality_range, ok, errors) -> dict:
    """The `/goals/` path item; the helpers are `apps.api.schema`'s, so both describe
    parameters and answers alike."""
    return {
        "get": {
            "summary": "Målsætninger med status, foreslået status, ansvarlig og opfølgning",
            "description": (
                "Målsætningerne i én strategi: fagområdernes og de fælles mål. Uden strategy: "
                "den gældende strategi (den nyeste vedtagne, ellers det nyeste udkast); uden "
                "nogen strategi en tom liste. Samme afgrænsning som strategisiderne: alle "
                "roller i kommunen ser alle dens målsætninger; KKR-analytikere kan læse alle "
                "kommuners, uden den ansvarliges navn."
            ),
            "parameters": [
                query(
                    "municipality",
                    "Kommunenummer (fx 250). Uden: brugerens egen kommune. En anden kommune end "
                    "brugerens er kun for KKR-analytikere; ellers 404.",
                    {
                        "type": "integer",
                        "minimum": municipality_range[0],
                        "maximum": municipality_range[1],
                    },
                ),
                query(
                    "strategy",
                    "Strategiens (versionens) id; en strategi i en anden kommune giver 404.",
                    {
                        "type": "integer",
                        "minimum": id_range[0],
                        "maximum": id_range[1],
                        "format": "int64",
                    },
                ),
                query(
                    "department",
                    "Fagområdets id: fagområdets målsætninger og de fælles mål. Et fagområde "
                    "uden for kommunen giver 404.",
                    {
                        "type": "integer",
                        "minimum": id_range[0],
                        "maximum": id_range[1],
                        "format": "int64",
                    },
                ),
            ],
            "responses": {
                **ok(
                    "Målsætningerne (alle, ikke sideinddelt), ordnet efter indsatsområde.",
                    {
                        "type": "object",
                        "required": ["results"],
                        "properties": {
                            "results": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Goal"},
                            }
                        },
                    },
                ),
                **errors("400", "401", "403", "404", "500"),
            },
        }
    }
