-- Chinese full-text search over problem descriptions and task measures.
-- FTS5 trigram matches substrings of 3+ characters; shorter queries fall back to LIKE in the
-- query layer (trigram silently matches nothing for them).
CREATE VIRTUAL TABLE `problems_fts` USING fts5(description, content='problems', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `problems_fts_ai` AFTER INSERT ON `problems` BEGIN
  INSERT INTO problems_fts(rowid, description) VALUES (new.rowid, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `problems_fts_ad` AFTER DELETE ON `problems` BEGIN
  INSERT INTO problems_fts(problems_fts, rowid, description) VALUES ('delete', old.rowid, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `problems_fts_au` AFTER UPDATE OF description ON `problems` BEGIN
  INSERT INTO problems_fts(problems_fts, rowid, description) VALUES ('delete', old.rowid, old.description);
  INSERT INTO problems_fts(rowid, description) VALUES (new.rowid, new.description);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `tasks_fts` USING fts5(measures, content='tasks', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `tasks_fts_ai` AFTER INSERT ON `tasks` BEGIN
  INSERT INTO tasks_fts(rowid, measures) VALUES (new.rowid, new.measures);
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_fts_ad` AFTER DELETE ON `tasks` BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, measures) VALUES ('delete', old.rowid, old.measures);
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_fts_au` AFTER UPDATE OF measures ON `tasks` BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, measures) VALUES ('delete', old.rowid, old.measures);
  INSERT INTO tasks_fts(rowid, measures) VALUES (new.rowid, new.measures);
END;
--> statement-breakpoint
-- The audit trail is append-only: the engine never updates or deletes it.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
