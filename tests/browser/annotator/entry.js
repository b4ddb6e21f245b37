// What the browser tests use of Apache Annotator, exposed as the global ApacheAnnotator.
// @apache-annotator/dom 0.2.0 imports @apache-annotator/selector at run time but lists it only
// as a devDependency, so package.json names both.
export {
  createTextPositionSelectorMatcher,
  createTextQuoteSelectorMatcher,
  describeTextPosition,
} from "@apache-annotator/dom";
