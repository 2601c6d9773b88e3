package sqlite

// MigrationFile reads an embedded migration by the name Migrations gives.
var MigrationFile = migrationFS.ReadFile
