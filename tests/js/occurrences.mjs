// Prints every occurrence of every VEVENT in an iCalendar file as JSON, read by
// Mozilla's ical.js: the second, independent parser of the export tests.
//
//   node occurrences.mjs FILE.ics UNTIL_ISO
//
// Occurrences starting after UNTIL_ISO are not listed (recurring events may be endless).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, untilText] = process.argv.slice(2);
const until = new Date(untilText).getTime();
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

const iso = (time) => time.toJSDate().toISOString();
const found = [];
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const fields = {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    status: vevent.getFirstPropertyValue("status"),
    categories: vevent.getFirstPropertyValue("categories"),
    tzid: vevent.getFirstProperty("dtstart").getParameter("tzid"),
  };
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.startDate.toJSDate().getTime() > until) break;
    found.push({ ...fields, start: iso(details.startDate), end: iso(details.endDate) });
  }
}
process.stdout.write(JSON.stringify(found));
