CREATE TABLE `clock_rule_sets` (
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
	`code` text NOT NULL,
	`name` text NOT NULL,
	`rule_version` integer NOT NULL,
	`basis` text,
	`rules` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clock_rule_sets_code_version_uq` ON `clock_rule_sets` (`code`,`rule_version`);--> statement-breakpoint
CREATE TABLE `feedbacks` (
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
	`inspection_id` text NOT NULL,
	`kind` text NOT NULL,
	`feedback_date` text NOT NULL,
	`doc_number` text,
	`body` text NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `feedbacks_inspection_idx` ON `feedbacks` (`inspection_id`);--> statement-breakpoint
CREATE TABLE `handovers` (
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
	`unit_id` text NOT NULL,
	`from_leader_id` text,
	`to_leader_id` text NOT NULL,
	`handover_date` text NOT NULL,
	`open_task_count` integer NOT NULL,
	`notes` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_leader_id`) REFERENCES `unit_leaders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_leader_id`) REFERENCES `unit_leaders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `handovers_unit_idx` ON `handovers` (`unit_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
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
	`team_id` text,
	`unit_id` text NOT NULL,
	`second_round_from` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspections_round_unit_uq` ON `inspections` (`round_id`,`unit_id`);--> statement-breakpoint
CREATE INDEX `inspections_unit_idx` ON `inspections` (`unit_id`);--> statement-breakpoint
CREATE TABLE `offices` (
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
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`level` text NOT NULL,
	`parent_office_id` text
);
--> statement-breakpoint
CREATE TABLE `rounds` (
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
	`name` text NOT NULL,
	`level` text NOT NULL,
	`form` text NOT NULL,
	`kind` text NOT NULL,
	`mobilised_on` text,
	`entered_on` text,
	`feedback_on` text,
	`rule_set_id` text NOT NULL,
	FOREIGN KEY (`rule_set_id`) REFERENCES `clock_rule_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `teams` (
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
	`number` integer NOT NULL,
	`name` text NOT NULL,
	`leader_name` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `teams_round_idx` ON `teams` (`round_id`);--> statement-breakpoint
CREATE TABLE `unit_leaders` (
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
	`unit_id` text NOT NULL,
	`name` text NOT NULL,
	`post` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_leaders_unit_idx` ON `unit_leaders` (`unit_id`);--> statement-breakpoint
CREATE TABLE `units` (
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
	`name` text NOT NULL,
	`sector` text NOT NULL,
	`parent_unit_id` text,
	`under_overhaul` integer DEFAULT false NOT NULL,
	`overhaul_note` text
);
--> statement-breakpoint
CREATE TABLE `users` (
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
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`can_view_clues` integer DEFAULT false NOT NULL,
	`password_hash` text,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `closeouts` (
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
	`task_id` text NOT NULL,
	`material_revision` integer NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` text NOT NULL,
	`decision` text NOT NULL,
	`reviewer_id` text,
	`decided_at` text,
	`comment` text,
	`snapshot` text,
	`snapshot_hash` text,
	`superseded_at` text,
	`superseded_reason` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `closeouts_task_idx` ON `closeouts` (`task_id`);--> statement-breakpoint
CREATE TABLE `evidence` (
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
	`owner_type` text NOT NULL,
	`owner_id` text NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size` integer NOT NULL,
	`formed_on` text NOT NULL,
	`description` text,
	FOREIGN KEY (`sha256`) REFERENCES `evidence_blobs`(`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_owner_idx` ON `evidence` (`owner_type`,`owner_id`);--> statement-breakpoint
CREATE INDEX `evidence_sha_idx` ON `evidence` (`sha256`);--> statement-breakpoint
CREATE TABLE `evidence_blobs` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`data` blob NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `extension_requests` (
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
	`task_id` text NOT NULL,
	`previous_deadline` text NOT NULL,
	`requested_deadline` text NOT NULL,
	`reason` text NOT NULL,
	`requested_by` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decision_comment` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `extension_requests_task_idx` ON `extension_requests` (`task_id`);--> statement-breakpoint
CREATE TABLE `problem_categories` (
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
	`name` text NOT NULL,
	`parent_id` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `problems` (
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
	`round_id` text,
	`unit_id` text NOT NULL,
	`inspection_id` text,
	`feedback_id` text,
	`seq` integer NOT NULL,
	`category_id` text NOT NULL,
	`description` text NOT NULL,
	`is_key` integer DEFAULT false NOT NULL,
	`lead_leader` text,
	`source` text NOT NULL,
	`not_for_disclosure` integer DEFAULT false NOT NULL,
	`not_for_disclosure_reason` text,
	`rebound_of_id` text,
	`remark` text,
	`status` text DEFAULT 'open' NOT NULL,
	`deadline` text,
	`task_count` integer DEFAULT 0 NOT NULL,
	`closed_task_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`feedback_id`) REFERENCES `feedbacks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `problem_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `problems_unit_status_deadline_idx` ON `problems` (`unit_id`,`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `problems_round_idx` ON `problems` (`round_id`,`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `problems_category_idx` ON `problems` (`category_id`);--> statement-breakpoint
CREATE INDEX `problems_version_idx` ON `problems` (`version`);--> statement-breakpoint
CREATE TABLE `progress_entries` (
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
	`task_id` text NOT NULL,
	`entry_date` text NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `progress_entries_task_idx` ON `progress_entries` (`task_id`,`entry_date`);--> statement-breakpoint
CREATE TABLE `task_stages` (
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
	`task_id` text NOT NULL,
	`seq` integer NOT NULL,
	`goal` text NOT NULL,
	`due_date` text NOT NULL,
	`done_on` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `task_stages_task_idx` ON `task_stages` (`task_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
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
	`problem_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`round_id` text,
	`seq` integer NOT NULL,
	`measures` text NOT NULL,
	`responsible_leader` text,
	`responsible_department` text,
	`responsible_person` text,
	`term` text NOT NULL,
	`deadline` text NOT NULL,
	`current_deadline` text NOT NULL,
	`status` text NOT NULL,
	`completed_on` text,
	`reported_on_time` integer,
	`submitted_by` text,
	`submitted_at` text,
	`closed_at` text,
	`return_count` integer DEFAULT 0 NOT NULL,
	`material_revision` integer DEFAULT 1 NOT NULL,
	`second_round` integer DEFAULT false NOT NULL,
	`not_for_disclosure` integer DEFAULT false NOT NULL,
	`not_for_disclosure_reason` text,
	`remark` text,
	`merged_into_id` text,
	FOREIGN KEY (`problem_id`) REFERENCES `problems`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_problem_idx` ON `tasks` (`problem_id`);--> statement-breakpoint
CREATE INDEX `tasks_unit_status_idx` ON `tasks` (`unit_id`,`status`,`current_deadline`);--> statement-breakpoint
CREATE INDEX `tasks_round_status_idx` ON `tasks` (`round_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_dept_idx` ON `tasks` (`responsible_department`);--> statement-breakpoint
CREATE INDEX `tasks_version_idx` ON `tasks` (`version`);--> statement-breakpoint
CREATE TABLE `accountability_links` (
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
	`accountability_id` text NOT NULL,
	`problem_id` text,
	`task_id` text,
	FOREIGN KEY (`accountability_id`) REFERENCES `accountability`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`problem_id`) REFERENCES `problems`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `accountability_links_acc_idx` ON `accountability_links` (`accountability_id`);--> statement-breakpoint
CREATE TABLE `accountability` (
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
	`round_id` text,
	`unit_id` text,
	`person_name` text NOT NULL,
	`post` text NOT NULL,
	`reason` text NOT NULL,
	`form` text NOT NULL,
	`decided_on` text NOT NULL,
	`note` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `accountability_unit_idx` ON `accountability` (`unit_id`);--> statement-breakpoint
CREATE INDEX `accountability_round_idx` ON `accountability` (`round_id`);--> statement-breakpoint
CREATE TABLE `activity_problems` (
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
	`activity_id` text NOT NULL,
	`problem_id` text NOT NULL,
	FOREIGN KEY (`activity_id`) REFERENCES `supervision_activities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`problem_id`) REFERENCES `problems`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `activity_problems_activity_idx` ON `activity_problems` (`activity_id`);--> statement-breakpoint
CREATE INDEX `activity_problems_problem_idx` ON `activity_problems` (`problem_id`);--> statement-breakpoint
CREATE TABLE `clue_dispositions` (
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
	`clue_id` text NOT NULL,
	`from_way` text NOT NULL,
	`way` text NOT NULL,
	`decided_on` text NOT NULL,
	`note` text NOT NULL,
	`letter_sent_on` text,
	`replied_on` text,
	`is_reactivation` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`clue_id`) REFERENCES `clues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clue_dispositions_clue_idx` ON `clue_dispositions` (`clue_id`);--> statement-breakpoint
CREATE TABLE `clues` (
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
	`round_id` text,
	`unit_id` text,
	`subject_name` text NOT NULL,
	`subject_post` text NOT NULL,
	`summary` text NOT NULL,
	`received_on` text NOT NULL,
	`receiving_organ` text NOT NULL,
	`disposition` text NOT NULL,
	`outcome` text,
	`money_recovered_fen` integer DEFAULT 0 NOT NULL,
	`concluded_on` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clues_round_idx` ON `clues` (`round_id`,`disposition`);--> statement-breakpoint
CREATE INDEX `clues_unit_idx` ON `clues` (`unit_id`);--> statement-breakpoint
CREATE TABLE `escalation_notices` (
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
	`unit_id` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`level` text NOT NULL,
	`issued_on` text NOT NULL,
	`doc_number` text,
	`reason` text NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `escalation_notices_target_idx` ON `escalation_notices` (`target_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
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
	`inspection_id` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`grade` text NOT NULL,
	`score` real,
	`findings` text,
	`evaluated_on` text NOT NULL,
	`is_lookback` integer DEFAULT false NOT NULL,
	`opens_second_round` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evaluations_inspection_idx` ON `evaluations` (`inspection_id`);--> statement-breakpoint
CREATE INDEX `evaluations_target_idx` ON `evaluations` (`target_id`);--> statement-breakpoint
CREATE TABLE `petitions` (
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
	`round_id` text,
	`unit_id` text,
	`received_on` text NOT NULL,
	`summary` text NOT NULL,
	`handed_to` text,
	`handed_on` text,
	`result` text,
	`status` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `petitions_round_idx` ON `petitions` (`round_id`);--> statement-breakpoint
CREATE TABLE `programme_measures` (
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
	`programme_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`seq` integer NOT NULL,
	`content` text NOT NULL,
	`owner` text,
	`done_on` text,
	FOREIGN KEY (`programme_id`) REFERENCES `supervision_programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stage_id`) REFERENCES `programme_stages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `programme_measures_stage_idx` ON `programme_measures` (`stage_id`);--> statement-breakpoint
CREATE TABLE `programme_stages` (
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
	`programme_id` text NOT NULL,
	`seq` integer NOT NULL,
	`name` text NOT NULL,
	`start_on` text NOT NULL,
	`end_on` text NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `supervision_programmes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `programme_stages_programme_idx` ON `programme_stages` (`programme_id`);--> statement-breakpoint
CREATE TABLE `reports` (
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
	`inspection_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`doc_number` text,
	`report_date` text NOT NULL,
	`received_on` text,
	`body` text,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reports_inspection_idx` ON `reports` (`inspection_id`,`kind`);--> statement-breakpoint
CREATE TABLE `suggestions` (
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
	`round_id` text,
	`unit_id` text,
	`department` text NOT NULL,
	`content` text NOT NULL,
	`issued_on` text NOT NULL,
	`reply` text,
	`replied_on` text,
	`status` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_round_idx` ON `suggestions` (`round_id`,`status`);--> statement-breakpoint
CREATE TABLE `supervision_activities` (
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
	`round_id` text,
	`unit_id` text,
	`kind` text NOT NULL,
	`activity_date` text NOT NULL,
	`title` text NOT NULL,
	`participants` text,
	`findings` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `supervision_activities_unit_idx` ON `supervision_activities` (`unit_id`,`activity_date`);--> statement-breakpoint
CREATE TABLE `supervision_programmes` (
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
	`round_id` text,
	`unit_id` text,
	`name` text NOT NULL,
	`start_on` text NOT NULL,
	`end_on` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`at` text NOT NULL,
	`hlc` text NOT NULL,
	`office_id` text NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_id`);--> statement-breakpoint
CREATE TABLE `calendar_days` (
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
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_days_day_uq` ON `calendar_days` (`day`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `saved_filters` (
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
	`user_id` text NOT NULL,
	`list` text NOT NULL,
	`name` text NOT NULL,
	`filter` text NOT NULL
);
