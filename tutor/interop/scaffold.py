"""`tutor new-deck`: a deck folder with one working example of every kind of item and a lesson.

The examples are real (the drill passes its own reference, the derivation's model chain is
accepted by the checker) and every field carries a comment, so a new author edits rather
than starts from a blank page. docs/authoring.md is the full reference.
"""

from __future__ import annotations

import json
from pathlib import Path

from tutor.interop.csvio import slugify
from tutor.interop.errors import InteropError


class ScaffoldError(InteropError):
    """The deck cannot be created; the message is one line for the learner."""


DECK = """\
# {title}: the deck file. Check your edits with `tutor content validate {path}`.
# The full format, every field and its checks: docs/authoring.md.
id: {deck}                    # lower-case slug, unique among your decks; never change it once studied
title: {title_yaml}
source: "Where the material comes from (a page, a book, a course)"   # optional
ladder: [0, 3, 7, 14, 21]       # optional: review days of each item (this is the default)
plan:                           # optional: checkpoints; items not named start on Day 0
  - day: 0                      # must be a day of the ladder
    goal: Learn the basics.     # shown on the dashboard
    items: [{deck}-basic-card, {deck}-cloze-card]
  - day: 3
    goal: Practise the problem, the drill and the derivation.
    items: [{deck}-example-problem, {deck}-momentum-drill, {deck}-ema-derivation]
"""

CARDS = """\
# Cards: recall practice, self-rated Again/Hard/Good/Easy (choice and typed are checked first).
# Every item has: id (slug, unique across ALL decks; history is kept by it), title, tags
# (slugs, optional) and notes (optional). Text is Markdown; maths goes in $...$.
cards:
  - id: {deck}-basic-card
    type: basic                 # basic | cloze | choice | typed
    title: A basic card         # short, shown in lists
    tags: [example]
    front: What does a basic card show first?
    back: The front; the back (this text) is revealed when you press space.

  - id: {deck}-cloze-card
    type: cloze                 # the deletions {{{{c1::answer}}}} or {{{{c1::answer::hint}}}} are hidden
    title: A cloze card
    tags: [example]
    front: "Momentum keeps an {{{{c1::exponential moving average::what kind of average?}}}} of the gradients."
    back: Optional extra text shown with the answer.

  - id: {deck}-choice-card
    type: choice
    title: A multiple-choice card
    tags: [example]
    front: Which value of $\\beta_1$ makes momentum forget fastest?
    options: ["0.5", "0.9", "0.99"]       # shown in this order
    answer: 0                             # index of the right option (or a list of indices)
    explain:                              # one line per option: why it is right or wrong
      - 'Right: the smaller $\\beta_1$, the shorter the memory (about $1/(1-\\beta_1) = 2$ steps).'
      - About 10 steps of memory.
      - About 100 steps of memory.

  - id: {deck}-typed-card
    type: typed
    title: A typed-answer card
    tags: [example]
    front: What is the default $\\beta_1$ of Adam?
    answer: {{number: 0.9}}               # any spelling of the value: 0.9, .9, 9/10 (or a formula: see the docs)

  - id: {deck}-text-card
    type: typed
    title: A typed text answer
    tags: [example]
    front: What does the name Adam stand for?
    accept: ["Adaptive Moment Estimation"]  # case, spaces, punctuation folded; a typo forgiven in long answers
"""

PROBLEMS = """\
# Problems: interview questions answered against a countdown, then self-rated with the rubric.
problems:
  - id: {deck}-example-problem
    title: Explain momentum
    tags: [example]
    prompt: Explain what momentum adds to plain SGD, and why it helps.
    time_limit_min: 5           # the countdown
    target_min: 3               # answering faster than this (with Strong Hire) rates Easy
    hints:                      # opened one at a time; each caps the rating one level lower
      - Think of a ball rolling downhill.
    answer: |                   # the model answer, shown after you answer
      Momentum keeps a moving average of past gradients and steps along it. Directions that
      agree step after step build up speed; oscillating directions cancel out, so training
      moves faster along ravines and is less noisy.
    rubric:                     # all three levels are required
      strong_hire: [Explains the moving average and why oscillations cancel]
      lean_hire: [Says it speeds training up without saying why]
      no_hire: [Confuses momentum with a learning-rate schedule]
    key_points:                 # a point is covered when any `match` regex occurs in the answer
      - point: Averages past gradients
        match: ['average', 'accumulat']
      - point: Damps oscillations
        match: ['oscillat', 'cancel', 'damp']
"""

DRILLS = """\
# Drills: write a function; it runs in a sandbox against a reference on generated cases.
drills:
  - id: {deck}-momentum-drill
    title: One momentum step
    tags: [example]
    target_min: 5               # passing first time in under half of this rates Easy
    prompt: |
      Write one momentum step: $m_t = \\beta_1 m_{{t-1}} + (1-\\beta_1) g_t$, then
      $\\theta_t = \\theta_{{t-1}} - \\eta\\, m_t$. Return `(param, m)`.
    function: momentum_step     # the name the learner's file must define
    signature: "momentum_step(param, grad, m, lr, beta1=0.9) -> (param, m)"
    starter: |                  # what the editor opens with
      import numpy as np


      def momentum_step(param, grad, m, lr, beta1=0.9):
          raise NotImplementedError
    solution: |                 # optional: shown on giving up; it must pass the check
      def momentum_step(param, grad, m, lr, beta1=0.9):
          m = beta1 * m + (1 - beta1) * grad
          return param - lr * m, m
    reference: momentum_step    # a function in tutor.reference that computes the right answer
    cases:                      # how test cases are generated (see docs/authoring.md)
      seed: 1
      shapes: [[1], [4]]        # parameter shapes, cycled over the trajectories
      steps: 4                  # calls per trajectory; returned state is fed back in
      hyper: {{lr: [1.0e-3, 1.0e-1], beta1: [0.5, 0.99]}}
    tolerance: {{rtol: 1.0e-9, atol: 1.0e-14}}
    mistakes:                   # wrong implementations in tutor.reference.mistakes, recognised by name
      - id: no-ema-factor
        variant: momentum_no_ema_factor
        message: "Matches m = beta1*m + g: weight the new gradient by (1 - beta1)."
    hints:
      - Two lines, the average then the step.
"""

DERIVATIONS = """\
# Derivations: a chain of equal expressions, one per line, each step checked with SymPy.
derivations:
  - id: {deck}-ema-derivation
    title: Two steps of an EMA of a constant
    tags: [example]
    prompt: |
      With $m_0 = 0$ and a constant gradient $g$, show that two steps of
      $m_t = \\beta m_{{t-1}} + (1-\\beta) g$ give $m_2 = (1-\\beta^2) g$.
    symbols:                    # every name used, with assumptions: positive, integer,
      beta: {{interval: [0, 1]}}  # interval: [low, high], random: true (inside E[...])
      g: {{}}
    definitions:                # names replaced by their expressions before checking
      m_1: "(1 - beta) * g"
      m_2: "beta * m_1 + (1 - beta) * g"
    start: m_2                  # the learner's first line must equal this
    goal: "(1 - beta^2) * g"    # ... and the last line this
    solution:                   # the model chain; the validator checks it passes
      - m_2
      - "= beta * (1 - beta) * g + (1 - beta) * g"
      - "= (1 - beta) * (1 + beta) * g"
      - "= (1 - beta^2) * g"
    hints:
      - Substitute m_1 first, then factor out (1 - beta) * g.
    mistakes:                   # a wrong line equal to `line` gets `message`
      - line: "(1 - beta)^2 * g"
        message: "(1 - beta)(1 + beta) is 1 - beta^2, not (1 - beta)^2."
"""

LESSON = """\
---
# A lesson: the study text for some items, read in the app (r on the dashboard, l after an
# answer) or with `tutor read`. The file name orders the lessons; "01-" is dropped from the id.
day: 0                          # the plan checkpoint this section is read for
prepares:                       # every item of the deck is prepared by exactly one section
  - {deck}-basic-card
  - {deck}-cloze-card
  - {deck}-choice-card
  - {deck}-typed-card
  - {deck}-text-card
  - {deck}-example-problem
  - {deck}-momentum-drill
  - {deck}-ema-derivation
---
# Momentum

Plain SGD steps against each mini-batch gradient. **Momentum** keeps an exponential moving
average of the gradients instead,

$$m_t = \\beta_1 m_{{t-1}} + (1 - \\beta_1) g_t, \\qquad \\theta_t = \\theta_{{t-1}} - \\eta\\, m_t$$

so directions that agree from step to step build up speed and oscillations cancel.

## How long it remembers

The average spans about $1/(1-\\beta_1)$ steps:

| $\\beta_1$ | steps remembered |
| --- | --- |
| 0.5 | 2 |
| 0.9 | 10 |
| 0.99 | 100 |

Practise it: [the cloze card](item:{deck}-cloze-card), then [the drill](item:{deck}-momentum-drill).
Links go to `item:ID` or `lesson:SECTION` (another file's id, here this one: [momentum](lesson:momentum)).
"""

FILES = {"deck.yaml": DECK, "cards.yaml": CARDS, "problems.yaml": PROBLEMS, "drills.yaml": DRILLS,
         "derivations.yaml": DERIVATIONS, "lessons/01-momentum.md": LESSON}


def new_deck(name: str, parent_dir: Path | str) -> Path:
    """Create `parent_dir/<slug of name>/` with a deck.yaml and one example of every kind."""
    deck = slugify(name, 40)
    if not deck:
        raise ScaffoldError(f"cannot make a deck id from {name!r}: use letters or digits")
    target = Path(parent_dir) / deck
    if target.exists():
        raise ScaffoldError(f"{target}: already exists; choose another name or folder")
    title = " ".join(name.split()) or deck
    values = {"deck": deck, "title": title, "title_yaml": json.dumps(title, ensure_ascii=False),
              "path": str(target)}
    try:
        target.mkdir(parents=True)
        for file_name, template in FILES.items():
            (target / file_name).parent.mkdir(exist_ok=True)
            (target / file_name).write_text(template.format(**values), encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"{target}: cannot create: {exc.strerror or exc}") from None
    return target
