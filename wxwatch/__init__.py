"""wxwatch: notice new WeChat figures in Chinese news coverage and alert on them."""

__version__ = "0.1.0"
