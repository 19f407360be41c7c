import { z } from "zod";

/**
 * An ISO 8601 date-time with offset, in UTC years 0001–9999. The ISO pattern alone admits year
 * 0000 and offsets that carry 0001 into year 0, which PostgreSQL refuses ("date/time field value
 * out of range") and JavaScript prints in forms it cannot read back.
 */
export const isoDateTimeSchema = z.iso.datetime({ offset: true }).refine(
  (text) => {
    const year = new Date(text).getUTCFullYear();
    return year >= 1 && year <= 9999;
  },
  { message: "Year must be between 0001 and 9999" },
);
