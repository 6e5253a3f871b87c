/// The API's OpenAPI 3.1 description, written by hand as the API's contract: a test checks that every route
/// the router registers is described here and that every path described here answers.
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Sluice",
            "version": "1",
            "description": "The Sluice service: the same engine calls as the command line, as the principal of a bearer token."
          },
          "servers": [{"url": "/"}],
          "security": [{"bearer": []}],
          "paths": {
            "/healthz": {
              "get": {
                "summary": "The process is alive.",
                "security": [],
                "responses": {"200": {"description": "Alive", "content": {"application/json": {"schema": {"type": "object"}}}}}
              }
            },
            "/readyz": {
              "get": {
                "summary": "The store answers and the project is valid.",
                "security": [],
                "responses": {
                  "200": {"description": "Ready", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "503": {
                    "description": "Not ready, with the problems named",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  }
                }
              }
            },
            "/api/v1/openapi.json": {
              "get": {
                "summary": "This document.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The OpenAPI document",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  }
                }
              }
            },
            "/api/v1/status": {
              "get": {
                "summary": "The project at a glance: environments, pipelines and their last runs, the audit chain.",
                "responses": {
                  "200": {
                    "description": "Status",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"}
                }
              }
            },
            "/api/v1/environments": {
              "post": {
                "summary": "Create an environment at another's head (zero-copy).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}, "from": {"type": "string"}, "ttl": {"type": "string"}}
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Environment"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              },
              "get": {
                "summary": "Environments with their heads, protection and lifecycle.",
                "responses": {
                  "200": {
                    "description": "Environments",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                },
                "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/after"}]
              }
            },
            "/api/v1/runs": {
              "post": {
                "summary": "Start a pipeline run; it runs in the service, and its id comes back at once (poll runs/{id}).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": ["pipeline"],
                        "properties": {
                          "pipeline": {"type": "string"},
                          "environment": {"type": "string"},
                          "select": {"type": "array", "items": {"type": "string"}},
                          "resume": {"type": "string"},
                          "no_cache": {"type": "boolean"},
                          "max_parallel": {"type": "integer", "minimum": 1}
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "202": {
                    "description": "Started",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              },
              "get": {
                "summary": "Pipeline runs, newest first, a page at a time.",
                "parameters": [
                  {"name": "pipeline", "in": "query", "schema": {"type": "string"}},
                  {
                    "name": "status",
                    "in": "query",
                    "schema": {"enum": ["running", "abandoned", "succeeded", "failed", "cancelled"]}
                  },
                  {"name": "environment", "in": "query", "schema": {"type": "string"}},
                  {"name": "principal", "in": "query", "schema": {"type": "string"}},
                  {
                    "name": "since",
                    "in": "query",
                    "description": "Runs started at or after this ISO 8601 time (e.g. 2026-11-28T00:00:00Z).",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {
                    "description": "A page of runs",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunPage"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"}
                }
              }
            },
            "/api/v1/runs/{id}": {
              "get": {
                "summary": "One run: its steps, attempts and outputs.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {
                    "description": "The run",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/environments/{name}": {
              "delete": {
                "summary": "Delete an environment's ref (needs delete on it; never a protected one, nor one a run uses).",
                "parameters": [
                  {
                    "name": "name",
                    "in": "path",
                    "required": true,
                    "description": "URL-encoded: sandbox%2Falice",
                    "schema": {"type": "string"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The deleted record",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/environments/{name}/reset": {
              "post": {
                "summary": "Put a working environment back on another's head (audited; needs write on it and read on the other; never a protected one).",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": ["to"],
                        "properties": {"to": {"type": "string"}}
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The environment after the reset",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {
                    "description": "A run works in it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                  }
                }
              }
            },
            "/api/v1/environments/{name}/log": {
              "get": {
                "summary": "An environment's commits, newest first along first parents.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {
                    "description": "Commits",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/api/v1/datasets": {
              "get": {
                "summary": "The datasets of an environment (declared ones without data included).",
                "parameters": [
                  {"$ref": "#/components/parameters/environment"},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {
                    "description": "Datasets",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/api/v1/datasets/{name}": {
              "get": {
                "summary": "A dataset: contract, current version, schema and stats.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/environment"}
                ],
                "responses": {
                  "200": {"description": "The dataset", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/datasets/{name}/data": {
              "get": {
                "summary": "The data of the dataset's current version (NAME or NAME@VERSION), PII masked for principals who may not see it.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/environment"}
                ],
                "responses": {
                  "200": {
                    "description": "The data as stored (CSV or JSON Lines)",
                    "content": {"text/csv": {"schema": {"type": "string"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/datasets/{name}/checks": {
              "get": {
                "summary": "The dataset's quality gate results, newest first.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/environment"},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {
                    "description": "Gate results",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/api/v1/runs/{id}/logs": {
              "get": {
                "summary": "Standard output and error of a run's step attempts.",
                "parameters": [
                  {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "step", "in": "query", "schema": {"type": "string"}},
                  {
                    "name": "follow",
                    "in": "query",
                    "description": "true: stream the output as the steps print it, one chunk a line, until the run ends",
                    "schema": {"type": "boolean", "default": false}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Attempt logs; with follow, NDJSON chunks {step, attempt, stream, text}",
                    "content": {
                      "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                      "application/x-ndjson": {"schema": {"type": "string"}}
                    }
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/lineage/{dataset}": {
              "get": {
                "summary": "What a dataset version was made from and what was made from it (DATASET or DATASET@VERSION).",
                "parameters": [
                  {"name": "dataset", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "direction", "in": "query", "schema": {"enum": ["up", "down", "both"], "default": "both"}},
                  {
                    "name": "format",
                    "in": "query",
                    "description": "tree: the lineage tree; openlineage: a list of OpenLineage RunEvents",
                    "schema": {"enum": ["tree", "openlineage"], "default": "tree"}
                  },
                  {"$ref": "#/components/parameters/environment"}
                ],
                "responses": {
                  "200": {
                    "description": "The lineage tree, or the RunEvents",
                    "content": {"application/json": {"schema": {"type": ["object", "array"]}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/quarantine/{id}": {
              "get": {
                "summary": "One quarantined batch: why, how many rows, from where.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The batch", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/gc/plan": {
              "get": {
                "summary": "What garbage collection would delete now (a dry run; needs the delete grants gc needs).",
                "parameters": [{"$ref": "#/components/parameters/grace"}],
                "responses": {
                  "200": {"description": "The plan", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              }
            },
            "/api/v1/gc": {
              "post": {
                "summary": "Collect garbage now: expire environments past their lifecycle, delete what nothing kept refers to (audited).",
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {"type": "object", "properties": {"grace": {"type": "string", "default": "1h"}}}
                    }
                  }
                },
                "responses": {
                  "200": {"description": "What was deleted", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              }
            },
            "/api/v1/project": {
              "get": {
                "summary": "The project the service runs: its name, default environment and pipelines with their steps.",
                "responses": {
                  "200": {"description": "The project", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"}
                }
              }
            },
            "/api/v1/checks": {
              "get": {
                "summary": "Quality gate results, newest first, of one dataset or of all the principal may read.",
                "parameters": [
                  {"name": "dataset", "in": "query", "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/environment"},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {"description": "A page of results", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/quarantine/{id}/rows": {
              "get": {
                "summary": "A quarantined batch's data: its original files, or its invalid rows as JSON Lines.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The data", "content": {"application/octet-stream": {"schema": {"type": "string"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/datasets/{name}/check": {
              "post": {
                "summary": "Check the body, as one file named filename, against the dataset's contract; changes nothing.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "filename", "in": "query", "schema": {"type": "string", "default": "upload.csv"}},
                  {"$ref": "#/components/parameters/environment"}
                ],
                "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
                "responses": {
                  "200": {"description": "The validation report", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/reproduce": {
              "post": {
                "summary": "Re-derive a dataset version from its recorded lineage, with no cache and nothing landed, and compare the bytes.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": ["reference"],
                        "properties": {"reference": {"type": "string"}, "environment": {"type": "string"}}
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"description": "Each step's recorded and reproduced output", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/sources/{name}/ingest": {
              "post": {
                "summary": "Ingest a source through its quality gate: the body as one file named filename, or with no filename the source's landing path on the service's host.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "filename", "in": "query", "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/environment"}
                ],
                "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
                "responses": {
                  "201": {"description": "Ingested", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {
                    "description": "The quality gate failed; the batch or its bad rows are in quarantine (the report is in error.report)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                  }
                }
              }
            },
            "/api/v1/audit/verify": {
              "get": {
                "summary": "Recompute the audit chain and compare the records it vouches for (runs, the policy).",
                "responses": {
                  "200": {"description": "The verification", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              }
            },
            "/api/v1/store/verify": {
              "get": {
                "summary": "Rehash every object and check that every ref points at stored data.",
                "responses": {
                  "200": {"description": "The verification", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              }
            },
            "/api/v1/policy/plan": {
              "get": {
                "summary": "How the access policy in sluice.yaml differs from the one in force, and the policy review of the project's files against a git revision.",
                "parameters": [{
                  "name": "against", "in": "query", "required": false,
                  "description": "the git revision to review against (default: the commit the policy in force was applied from, else HEAD)",
                  "schema": {"type": "string"}
                }],
                "responses": {
                  "200": {"description": "The plan (changes) and the review (review.changes with kind, risk and message)", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"}
                }
              }
            },
            "/api/v1/policy/apply": {
              "post": {
                "summary": "Put the committed access policy in force (admin; audited).",
                "responses": {
                  "200": {"description": "What changed", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "409": {
                    "description": "The work tree has uncommitted changes",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                  }
                }
              }
            },
            "/api/v1/quarantine": {
              "get": {
                "summary": "Quarantined batches the principal may read.",
                "responses": {
                  "200": {
                    "description": "Batches",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                },
                "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/after"}]
              }
            },
            "/api/v1/tokens/{id}": {
              "delete": {
                "summary": "Revoke a token (admin:* only).",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "Revoked", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/tokens": {
              "post": {
                "summary": "Create a token for a principal (admin:* only); its secret is in this answer only.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"type": "object", "required": ["principal"], "properties": {"principal": {"type": "string"}}}
                    }
                  }
                },
                "responses": {
                  "201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              },
              "get": {
                "summary": "Tokens (admin:* only); secrets are never shown.",
                "responses": {
                  "200": {
                    "description": "Tokens",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                },
                "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/after"}]
              }
            },
            "/api/v1/promote": {
              "post": {
                "summary": "Promote an environment into another (a fast-forward, gated and audited).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": ["from", "to"],
                        "properties": {"from": {"type": "string"}, "to": {"type": "string"}}
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"description": "Promoted", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {
                    "description": "The target moved meanwhile; nothing changed",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                  },
                  "422": {
                    "description": "A gate or provenance check refused it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                  }
                }
              }
            },
            "/api/v1/runs/{id}/cancel": {
              "post": {
                "summary": "Cancel a running run (its process is asked to stop, or an abandoned run is ended).",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {
                    "description": "signalled or marked",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "429": {"$ref": "#/components/responses/TooMany"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/v1/audit": {
              "get": {
                "summary": "The hash-chained audit log, newest first, a page at a time.",
                "parameters": [
                  {"name": "action", "in": "query", "schema": {"type": "string"}},
                  {"name": "principal", "in": "query", "schema": {"type": "string"}},
                  {"name": "outcome", "in": "query", "schema": {"enum": ["succeeded", "failed", "denied"]}},
                  {"name": "target", "in": "query", "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/after"}
                ],
                "responses": {
                  "200": {
                    "description": "A page of events",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditPage"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthenticated"},
                  "403": {"$ref": "#/components/responses/Denied"},
                  "429": {"$ref": "#/components/responses/TooMany"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from sluice token create"}},
            "parameters": {
              "limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
              },
              "after": {
                "name": "after",
                "in": "query",
                "description": "The next value of the previous page",
                "schema": {"type": "string"}
              },
              "grace": {
                "name": "grace",
                "in": "query",
                "description": "Keep objects written this recently whatever refers to them (default 1h)",
                "schema": {"type": "string"}
              },
              "environment": {
                "name": "environment",
                "in": "query",
                "description": "Default: the project's default environment",
                "schema": {"type": "string"}
              }
            },
            "responses": {
              "BadRequest": {
                "description": "A bad value, its field named",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Unauthenticated": {
                "description": "No token, or one unknown or revoked",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "TooMany": {
                "description": "Too many refused tokens from this client, runs going on for this principal, or uploads spooled at once; retry after the Retry-After header's seconds",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Denied": {
                "description": "The principal may not do this (audited)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "NotFound": {
                "description": "No such name or id",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              }
            },
            "schemas": {
              "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                  "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                      "code": {
                        "enum": [
                          "usage",
                          "not_found",
                          "invalid_project",
                          "unauthenticated",
                          "access_denied",
                          "conflict",
                          "failed",
                          "gate_failed",
                          "run_failed",
                          "run_cancelled",
                          "storage_full",
                          "tampered",
                          "internal",
                          "unavailable",
                          "too_large",
                          "rate_limited"
                        ]
                      },
                      "message": {"type": "string"},
                      "hint": {"type": "string"},
                      "field": {"type": "string"},
                      "report": {"type": "object", "description": "A failed quality gate's report"}
                    }
                  }
                }
              },
              "Status": {"type": "object", "required": ["project", "environments", "pipelines", "auditIntact"]},
              "Environment": {"type": "object", "required": ["name", "protected"]},
              "Run": {"type": "object", "required": ["id", "pipeline", "environment", "status", "steps"]},
              "AuditEvent": {"type": "object", "required": ["sequence", "draft", "hash", "previousHash"]},
              "Page": {
                "type": "object",
                "required": ["items"],
                "properties": {
                  "items": {"type": "array", "items": {"type": "object"}},
                  "next": {"type": "string", "description": "Pass as after= for the next page; absent on the last"}
                }
              },
              "RunPage": {
                "type": "object",
                "required": ["items"],
                "properties": {
                  "items": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}},
                  "next": {"type": "string"}
                }
              },
              "AuditPage": {
                "type": "object",
                "required": ["items"],
                "properties": {
                  "items": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
                  "next": {"type": "string"}
                }
              }
            }
          }
        }
        """#
}
