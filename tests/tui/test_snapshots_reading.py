"""Snapshots of the reading screen at 80x24 and 120x40, dark and light, on a fixed lesson deck
(tests/tui/conftest.py's demo deck plus one lesson), so content edits do not move them."""

from __future__ import annotations

import pytest

from tests.tui.conftest import DAY0
from tests.tui.test_snapshots_core import MATRIX, ids

LESSON = r"""---
day: 0
prepares: [demo-update-rule, demo-factor, demo-epsilon, demo-factor-t1, demo-bias-problem]
---
# Adam in brief

Adam keeps two running averages of the gradient $g_t$ and corrects both for starting at zero.

## The update

$$\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{\hat{v}_t} + \epsilon} \hat{m}_t$$

| $t$ | factor on $m_t$ | factor on $v_t$ |
| --- | --- | --- |
| 1 | 10 | 1000 |
| 10 | 1.535 | 100.5 |

```python
m = beta1 * m + (1 - beta1) * grad
v = beta2 * v + (1 - beta2) * grad ** 2
```

> **Note:** $\epsilon$ goes outside the square root.

## Practise

[The update rule](item:demo-update-rule), then [the problem](item:demo-bias-problem).
"""


@pytest.fixture
def lesson_deck(snapshot_deck):
    (snapshot_deck / "lessons").mkdir()
    (snapshot_deck / "lessons" / "01-adam-in-brief.md").write_text(LESSON)
    return snapshot_deck


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_reading_screen(snap_compare, make_app, lesson_deck, case):
    size, theme = case
    assert snap_compare(make_app(DAY0, roots=[lesson_deck], theme=theme), terminal_size=size, press=["r"])


@pytest.mark.parametrize("case", MATRIX[:1], ids=ids)
def test_reading_screen_searching(snap_compare, make_app, lesson_deck, case):
    size, theme = case
    assert snap_compare(make_app(DAY0, roots=[lesson_deck], theme=theme), terminal_size=size,
                        press=["r", "t", "slash", *"outside", "enter"])
