DROP INDEX `problems_unit_status_deadline_idx`;--> statement-breakpoint
DROP INDEX `problems_round_idx`;--> statement-breakpoint
CREATE INDEX `problems_deadline_idx` ON `problems` (`deadline`,`id`);--> statement-breakpoint
CREATE INDEX `problems_updated_idx` ON `problems` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `problems_round_unit_seq_idx` ON `problems` (`round_id`,`unit_id`,`seq`);--> statement-breakpoint
CREATE INDEX `problems_unit_status_deadline_idx` ON `problems` (`unit_id`,`status`,`deadline`,`id`);--> statement-breakpoint
CREATE INDEX `problems_round_idx` ON `problems` (`round_id`,`status`,`deadline`,`id`);--> statement-breakpoint
DROP INDEX `tasks_unit_status_idx`;--> statement-breakpoint
DROP INDEX `tasks_dept_idx`;--> statement-breakpoint
CREATE INDEX `tasks_deadline_idx` ON `tasks` (`current_deadline`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_unit_status_idx` ON `tasks` (`unit_id`,`status`,`current_deadline`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_dept_idx` ON `tasks` (`responsible_department`,`status`,`current_deadline`);