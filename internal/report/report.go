// Package report presents the figures of nomtrack's reports
// (internal/figures) in every output format: table, json, csv, tsv and md
// for all; html and xlsx for the yearly and trend reports. It computes
// nothing: the store fills the figures, so a rendering is tested from a
// hand-built value without a database, and the store links none of the
// renderers (the HTML page's writer, the XLSX writer). Every table a report
// writes — its sections, its csv rows, its workbook's sheets — goes through
// internal/output's row writer, so its cells are typed as everywhere else.
package report
