"""The 数据交换 section: send and receive exchange packages (models.exchange)."""

from ui.exchange.exchange_view import ExchangeView

__all__ = ["ExchangeView"]
