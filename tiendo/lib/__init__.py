"""Pure helpers with no models: environment parsing, Vietnamese formats, text folding."""
