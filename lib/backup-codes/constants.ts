/** Backup-code numbers the UI needs too (this module has no server dependencies). */
export const BACKUP_CODE_COUNT = 10;
/** Remaining codes at or below which the security page warns. */
export const BACKUP_CODES_LOW_WATERMARK = 3;
