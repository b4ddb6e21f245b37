"""The W3C Web Annotation Data Model conformance assertions (web-platform-tests), run offline.

``tests/conformance/wpt-annotation-model/`` holds the upstream ``.test`` files, which list
assertion schemas (JSON Schema draft-04) by path or inline, and the ``definitions/`` they
``$ref``. Every ``$ref`` resolves inside that directory; nothing is fetched. Some listed assertion
files do not exist upstream; ``STAND_INS`` states each of those rules with the definitions that
cover it, applied to the objects the rule is about (each body, each target, each Specific
Resource, each selector, each state).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).parents[1] / "conformance" / "wpt-annotation-model"
BASE = "https://wpt.invalid/annotation-model/"
FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER


def definition_uri(name):
    return f"{BASE}definitions/{name}"


def load_registry():
    resources = []
    for path in sorted((ROOT / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["id"] = definition_uri(path.name)
        resources.append((schema["id"], Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = load_registry()


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def bodies(annotation):
    return [body for body in as_list(annotation.get("body")) if isinstance(body, dict)]


def targets(annotation):
    return [target for target in as_list(annotation.get("target")) if isinstance(target, dict)]


def specific_resources(annotation):
    return [item for item in bodies(annotation) + targets(annotation) if "source" in item]


def selectors(annotation):
    found = []
    pending = [s for r in specific_resources(annotation) for s in as_list(r.get("selector"))]
    while pending:
        selector = pending.pop()
        if isinstance(selector, dict):
            found.append(selector)
            pending.extend(as_list(selector.get("refinedBy")))
    return found


def states(annotation):
    found = [s for r in specific_resources(annotation) for s in as_list(r.get("state"))]
    return [state for state in found if isinstance(state, dict)]


def whole(annotation):
    return [annotation]


def ref(file, name):
    return {"$ref": f"{definition_uri(file)}#/definitions/{name}"}


def never(schema):
    return {"not": schema}


def all_of(*schemas):
    return {"allOf": list(schemas)}


# (section, rule, definitions file without ".json", definition, whether it must not match): the
# stand-ins that bodyMusts.test and targetMusts.test list under the same names.
BODY_TARGET_RULES = [
    ("3.2.1", "TextDirectionValidated", "bodyTarget", "textDirectionValidIfPresent", False),
    ("3.3.1", "CreatedValidated", "otherProperties", "createdValidIfPresent", False),
    ("3.3.1", "ModifiedValidated", "otherProperties", "modifiedValidIfPresent", False),
    ("3.3.6", "RightsValidated", "otherProperties", "rightsValidIfPresent", False),
    ("3.3.7", "CanonicalValidated", "otherProperties", "canonicalValidIfPresent", False),
    ("3.3.7", "ViaValidated", "otherProperties", "viaValidIfPresent", False),
    ("3.2.7", "EWRNoItems", "bodyTarget", "ewrWithItems", True),
    ("3.3.5", "EWRNoPurpose", "bodyTarget", "ewrWithPurpose", True),
    ("3.2.4", "ChoiceSetNoValue", "choiceSet", "choiceSetWithValue", True),
    ("4", "ChoiceSetNoSource", "choiceSet", "choiceSetWithSource", True),
    ("3.3.5", "ChoiceSetNoPurpose", "choiceSet", "choiceSetWithPurpose", True),
    ("3.2.7", "SpecificResourceNoItems", "specificResource", "specificResourceWithItems", True),
    ("4", "SpecificResourceNoValue", "specificResource", "specificResourceWithValue", True),
]


def for_bodies_and_targets(prefix, collect):
    """The ``BODY_TARGET_RULES`` stand-ins for bodies (``body``) or targets (``targ``)."""
    stand_ins = {}
    for section, rule, file, definition, negated in BODY_TARGET_RULES:
        schema = ref(f"{file}.json", definition)
        name = f"bodiesTargets/{section}-{prefix}{rule}.json"
        stand_ins[name] = (collect, never(schema) if negated else schema)
    return stand_ins


def specific_resource_rule(collect, *definitions):
    """A stand-in applying ``specificResource.json`` definitions (all of them) to ``collect``."""
    schemas = [ref("specificResource.json", definition) for definition in definitions]
    return (collect, schemas[0] if len(schemas) == 1 else all_of(*schemas))


TEXTUAL_BODY_TYPE = {
    "required": ["type"],
    "properties": {
        "type": {
            "anyOf": [
                {"enum": ["TextualBody"]},
                {"type": "array", "not": {"items": {"not": {"enum": ["TextualBody"]}}}},
            ]
        }
    },
}

STAND_INS = {
    **for_bodies_and_targets("body", bodies),
    **for_bodies_and_targets("targ", targets),
    "bodiesTargets/3.2.7-bodyEmbeddedTextualNoItems.json": (
        bodies,
        never(ref("bodyTarget.json", "embeddedTextualBodyWithItems")),
    ),
    "bodiesTargets/4-bodyEmbeddedTextualNoSource.json": (
        bodies,
        never(ref("bodyTarget.json", "embeddedTextualBodyWithSource")),
    ),
    "bodiesTargets/3.2.4-targNoTypeTextualBody.json": (targets, never(TEXTUAL_BODY_TYPE)),
    "specificResource/4.2-selectorValidIfPresent.json": specific_resource_rule(
        specific_resources, "selectorDefined"
    ),
    "specificResource/4.3-stateValidIfPresent.json": specific_resource_rule(
        specific_resources, "stateDefined"
    ),
    "specificResource/4.3.3-refinedByValidated.json": specific_resource_rule(
        selectors, "refinedByDefined"
    ),
    "specificResource/4.4-styleClassValidIfPresent.json": specific_resource_rule(
        specific_resources, "styleClassDefinition"
    ),
    "specificResource/4.2-fragmentCssXPathSelectorValid.json": specific_resource_rule(
        selectors,
        "fragmentSelectorTypeValidIfPresent",
        "cssSelectorTypeValidIfPresent",
        "xpathSelectorTypeValidIfPresent",
    ),
    "specificResource/4.2.4-textQuoteSelectorValid.json": specific_resource_rule(
        selectors, "textQuoteSelectorTypeValidIfPresent"
    ),
    "specificResource/4.2-TextDataPositionSelectorValid.json": specific_resource_rule(
        selectors,
        "textPositionSelectorTypeValidIfPresent",
        "dataPositionSelectorTypeValidIfPresent",
    ),
    "specificResource/4.2.7-svgSelectorValid.json": specific_resource_rule(
        selectors, "svgSelectorTypeValidIfPresent"
    ),
    "specificResource/4.2.8-rangeSelectorValid.json": specific_resource_rule(
        selectors, "rangeSelectorTypeValidIfPresent"
    ),
    "specificResource/4.3.1-timeStateValid.json": specific_resource_rule(
        states, "timeStateTypeValidIfPresent"
    ),
    "specificResource/4.3.2-httpRequestStateValid.json": specific_resource_rule(
        states, "requestHeaderStateTypeValidIfPresent"
    ),
}


@dataclass(frozen=True)
class Assertion:
    name: str
    kind: str
    expect_valid: bool
    collect: object
    validator: Draft4Validator

    def failures(self, annotation):
        """Return the messages of every object of the annotation that breaks this assertion."""
        problems = []
        for item in self.collect(annotation):
            if self.validator.is_valid(item) != self.expect_valid:
                errors = [error.message for error in self.validator.iter_errors(item)]
                problems.append(f"{self.name}: {errors[:1] or 'expected invalid'}")
        return problems


def make_assertion(name, schema, collect=whole):
    # Registered beside the definitions, so its relative $refs resolve there; draft-04 ignores an
    # "id" next to a "$ref", so the schema is reached through a reference to that address.
    uri = definition_uri(name.replace("/", "--").replace("#", "-"))
    registry = REGISTRY.with_resource(uri, Resource.from_contents(schema, DRAFT4))
    validator = Draft4Validator({"$ref": uri}, registry=registry, format_checker=FORMAT_CHECKER)
    return Assertion(
        name=name,
        kind=schema.get("assertionType", "must"),
        expect_valid=schema.get("expectedResult", "valid") == "valid",
        collect=collect,
        validator=validator,
    )


def load_assertions():
    """Return every assertion that the .test files list, each once, in file order."""
    assertions = {}
    for test_file in sorted(ROOT.glob("*/*.test")):
        listed = json.loads(test_file.read_text(encoding="utf-8"))["assertions"]
        for number, entry in enumerate(listed, start=1):
            if isinstance(entry, dict):
                name = f"{test_file.relative_to(ROOT)}#{number}"
                assertions[name] = make_assertion(name, entry)
            elif entry in assertions:
                continue
            elif (ROOT / entry).exists():
                schema = json.loads((ROOT / entry).read_text(encoding="utf-8"))
                assertions[entry] = make_assertion(entry, schema)
            elif entry in STAND_INS:
                collect, schema = STAND_INS[entry]
                assertions[entry] = make_assertion(entry, schema, collect)
    return list(assertions.values())


def listed_must_files():
    """Names of the assertion files that the *Musts.test files list."""
    names = []
    for test_file in sorted(ROOT.glob("*/*Musts.test")):
        listed = json.loads(test_file.read_text(encoding="utf-8"))["assertions"]
        names += [entry for entry in listed if isinstance(entry, str)]
    return names
