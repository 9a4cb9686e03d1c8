CREATE TABLE `evidence_chunks` (
	`sha256` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`sha256`, `seq`),
	FOREIGN KEY (`sha256`) REFERENCES `evidence_blobs`(`sha256`) ON UPDATE no action ON DELETE no action
);
