"""The rules the asset checks and the validation report apply, per phase: pure functions on frames."""
