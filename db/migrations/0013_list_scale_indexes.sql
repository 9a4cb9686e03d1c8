CREATE INDEX `problems_live_idx` ON `problems` (`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `problems_deleted_idx` ON `problems` (`id`) WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `problems_origin_idx` ON `problems` (`origin_office_id`,`deadline`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `problems_origin_updated_idx` ON `problems` (`origin_office_id`,`updated_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_updated_idx` ON `tasks` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_origin_idx` ON `tasks` (`origin_office_id`,`current_deadline`,`id`,`problem_id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_origin_updated_idx` ON `tasks` (`origin_office_id`,`updated_at`,`id`,`problem_id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_status_idx` ON `tasks` (`status`,`current_deadline`,`id`,`problem_id`) WHERE deleted_at IS NULL;