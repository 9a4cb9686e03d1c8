CREATE TABLE `purged_records` (
	`entity_id` text PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`archive_id` text NOT NULL,
	FOREIGN KEY (`archive_id`) REFERENCES `round_archives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `purged_records_archive_idx` ON `purged_records` (`archive_id`);--> statement-breakpoint
CREATE TABLE `round_archives` (
	`id` text PRIMARY KEY NOT NULL,
	`origin_office_id` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`updated_at` text NOT NULL,
	`updated_by` text,
	`version` integer NOT NULL,
	`hlc` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`deleted_reason` text,
	`round_id` text NOT NULL,
	`round_name` text NOT NULL,
	`archive_file_id` text NOT NULL,
	`file_path` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`scope_digest` text NOT NULL,
	`counts` text NOT NULL,
	`status` text NOT NULL,
	`purged_at` text,
	`purged_by` text,
	`purge_digest` text,
	`restored_at` text,
	`restored_by` text
);
--> statement-breakpoint
CREATE INDEX `round_archives_round_idx` ON `round_archives` (`round_id`);--> statement-breakpoint
CREATE INDEX `round_archives_sha_idx` ON `round_archives` (`sha256`);