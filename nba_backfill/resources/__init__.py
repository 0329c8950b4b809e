"""Storage resources chosen per deployment, with identical resource keys in every deployment."""
