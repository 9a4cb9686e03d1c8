CREATE TABLE `office_keys` (
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
	`office_id` text NOT NULL,
	`sign_public` text NOT NULL,
	`agree_public` text NOT NULL,
	`fingerprint` text NOT NULL,
	`secret` text,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`confirmed_at` text,
	`confirmed_by` text,
	`retired_at` text,
	`retired_reason` text
);
--> statement-breakpoint
CREATE INDEX `office_keys_office_idx` ON `office_keys` (`office_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `office_keys_fingerprint_uq` ON `office_keys` (`fingerprint`);--> statement-breakpoint
ALTER TABLE `users` ADD `can_exchange` integer DEFAULT false NOT NULL;