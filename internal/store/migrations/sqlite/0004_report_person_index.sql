-- 0004: an index for the reports' breakdowns by ministry and gender. A
-- year's report looks up the person of each of its nominations; in the
-- person table those lookups land on a different page almost every time
-- (a person row carries names, ranks and contacts), and a year reads
-- most of the table. This index holds only what the reports group by,
-- about a tenth of the table's pages: `report year` on 1,000,000
-- nominations went from about 270 ms to 230 ms (TestYearReport goldens
-- unchanged; BenchmarkYearReport, internal/store/report_bench_test.go).
-- Queries name it with INDEXED BY: SQLite prefers the rowid for id = ?.
CREATE INDEX person_report ON person(id, ministry, gender);
