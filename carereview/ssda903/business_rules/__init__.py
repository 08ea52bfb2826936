"""The DfE rules on the Reviews table (spec/ssda903.md "Checks on the Reviews table"), one
class per rule, named by its number, as ``csc-validator-be-903`` implements them."""

from .base import Rule
from .rule_166 import Rule166
from .rule_167 import Rule167
from .rule_399 import Rule399
from .rule_440 import Rule440
from .rule_441 import Rule441
from .rule_1012 import Rule1012
from .rule_int08 import RuleINT08
from .rule_int17 import RuleINT17

#: The review rules, in the order of the spec's table.
REVIEW_RULES: tuple[Rule, ...] = (
    Rule166(),
    Rule167(),
    Rule399(),
    Rule440(),
    Rule441(),
    Rule1012(),
    RuleINT08(),
    RuleINT17(),
)

__all__ = [
    "REVIEW_RULES",
    "Rule",
    "Rule166",
    "Rule167",
    "Rule399",
    "Rule440",
    "Rule441",
    "Rule1012",
    "RuleINT08",
    "RuleINT17",
]
