"""The 节假日 screen: national holidays and 调休 working days, by year."""
__all__: list[str] = []
