"""The demo database, deterministic for a seed: the 白银市 roster (``roster``: real units,
county codes and valid ID numbers, and :func:`build_demo`, which builds the whole database),
three 三三制 classes with teachers, rooms, sites and courses on top of it (``training``), and
a graded 年度考核 round that shows every rule (``assessment``). The top of the models layer:
it uses every subject's services and nothing uses it but main.py and the tests.
"""

from models.demo.assessment import DemoAssessment, add_demo_assessment
from models.demo.roster import MIN_CADRES, build_demo
from models.demo.training import add_demo_training

__all__ = ["MIN_CADRES", "DemoAssessment", "add_demo_assessment", "add_demo_training", "build_demo"]
