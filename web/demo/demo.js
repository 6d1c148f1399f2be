/* demo page script (placeholder) */
