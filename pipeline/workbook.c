/* workbook.c - placeholder, being written. */
