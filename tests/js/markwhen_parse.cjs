// Parse a markwhen document (stdin) with @markwhen/parser (its folder: argv[2]) and print
// what it read as JSON: the header, every event with the section titles above it, and the
// parser's messages. Used by tests/test_markwhen_parser.py.
const { parse } = require(process.argv[2]);
const text = require("fs").readFileSync(0, "utf8");
const doc = parse(text);
const events = [];
function walk(node, path) {
  if (node.children) {
    const inner = node.title ? [...path, node.title] : path;
    for (const child of node.children) walk(child, inner);
    return;
  }
  events.push({
    path,
    date: node.firstLine.datePart,
    title: node.firstLine.restTrimmed,
    tags: node.tags,
    from: node.dateRangeIso.fromDateTimeIso,
    to: node.dateRangeIso.toDateTimeIso,
    description: (node.supplemental || []).map((s) => (s.type === "text" ? s.raw : s)),
    // markup markwhen found in the text: none should come from the data
    id: node.id,
    percent: node.percent,
    completed: node.completed,
    locations: node.locations && node.locations.length ? node.locations : undefined,
  });
}
walk(doc.events, []);
process.stdout.write(
  JSON.stringify({ header: doc.header, events, messages: doc.parseMessages })
);
