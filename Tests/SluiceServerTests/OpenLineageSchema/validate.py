"""Validates OpenLineage events (one JSON object per line on standard input) against the official schemas in
this folder: each event as a RunEvent, and each facet against the schema its _schemaURL names. Facets whose
schema is not an OpenLineage one (Sluice's own, urn:sluice:...) are checked against the base facet only.
Prints one line per problem; exits 1 if there is any."""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

folder = pathlib.Path(__file__).parent
resources = []
for path in folder.glob("*.json"):
    schema = json.loads(path.read_text())
    resources.append((schema["$id"], Resource.from_contents(schema)))
registry = Registry().with_resources(resources)
known = {uri for uri, _ in resources}
checker = FormatChecker()


def check(instance, ref, where, problems):
    validator = Draft202012Validator({"$ref": ref}, registry=registry, format_checker=checker)
    for error in validator.iter_errors(instance):
        problems.append(f"{where}: {error.message} at {list(error.absolute_path)}")


def facets(event):
    yield "run", event["run"].get("facets", {}), "RunFacet"
    yield "job", event["job"].get("facets", {}), "JobFacet"
    for kind in ("inputs", "outputs"):
        for dataset in event.get(kind, []):
            yield f"{kind} {dataset['name']}", dataset.get("facets", {}), "DatasetFacet"
            yield f"{kind} {dataset['name']} input", dataset.get("inputFacets", {}), "InputDatasetFacet"
            yield f"{kind} {dataset['name']} output", dataset.get("outputFacets", {}), "OutputDatasetFacet"


problems = []
count = 0
for number, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    count += 1
    event = json.loads(line)
    where = f"event {number} ({event.get('eventType')} {event.get('job', {}).get('name')})"
    check(event, "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", where, problems)
    for place, found, base in facets(event):
        for name, facet in found.items():
            url = facet.get("_schemaURL", "")
            document = url.split("#")[0]
            if document in known:
                check(facet, url, f"{where} {place} facet {name}", problems)
            elif url.startswith("urn:sluice:"):
                check(facet, f"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/{base}", f"{where} {place} facet {name}", problems)
            else:
                problems.append(f"{where} {place} facet {name}: no schema for {url!r}")
for problem in problems:
    print(problem)
print(f"{count} events, {len(problems)} problems")
sys.exit(1 if problems or count == 0 else 0)
