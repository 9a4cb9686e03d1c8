CREATE TABLE `exchange_packages` (
	`id` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`kind` text NOT NULL,
	`partner_office_id` text NOT NULL,
	`seq` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL,
	`from_version` integer,
	`until_version` integer,
	`scope` text,
	`counts` text,
	`status` text NOT NULL,
	`handled_at` text NOT NULL,
	`handled_by` text,
	`refers_to` text,
	`summary` text
);
--> statement-breakpoint
CREATE INDEX `exchange_packages_partner_idx` ON `exchange_packages` (`partner_office_id`,`direction`,`seq`);--> statement-breakpoint
CREATE TABLE `field_conflicts` (
	`entity_id` text NOT NULL,
	`field` text NOT NULL,
	`entity` text NOT NULL,
	`heads` text NOT NULL,
	`since` text NOT NULL,
	PRIMARY KEY(`entity_id`, `field`)
);
--> statement-breakpoint
CREATE INDEX `field_conflicts_entity_idx` ON `field_conflicts` (`entity`);--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`field` text NOT NULL,
	`value` text,
	`clock` text NOT NULL,
	`stamp` text NOT NULL,
	`author_office_id` text NOT NULL,
	`author_name` text,
	`package_id` text,
	`received_at` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposals_change_uq` ON `proposals` (`entity_id`,`field`,`stamp`);--> statement-breakpoint
CREATE INDEX `proposals_status_idx` ON `proposals` (`status`);