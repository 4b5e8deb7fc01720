import enum


class EventErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
