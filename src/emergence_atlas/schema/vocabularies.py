"""Controlled vocabularies: the single source of every allowed category, strategy, metric, ...

Part of the schema step (the layer under the models). Each vocabulary is an
ordinary string enum (a YAML file holds the plain value) whose members carry
their own metadata: a human label, a definition and, for metrics, whether lower
is better. The JSON Schema, the docs, the site's filters, the CLI's help and the
threshold rules all read them from here. To add a value, add one member line to
its class; the Vocabularies page and the JSON Schemas (``emergence-atlas schema``)
follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Term:
    """One allowed value with its label and definition (and, for metrics, its direction)."""

    value: str
    label: str
    definition: str
    lower_is_better: bool = False


class Vocabulary(StrEnum):
    """Base of every vocabulary: a member is ``NAME = value, label, definition[, lower_is_better]``."""

    _value_: str
    term: Term

    def __new__(cls, value: str, label: str = "", definition: str = "", lower_is_better: bool = False) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.term = Term(value, label or value, definition, lower_is_better)
        return member

    @property
    def label(self) -> str:
        """Human label, e.g. ``Chain of thought``."""
        return self.term.label

    @property
    def definition(self) -> str:
        """One sentence saying what the value means."""
        return self.term.definition

    @classmethod
    def terms(cls) -> dict[str, Term]:
        """``{value: Term}`` of every member, in declaration order."""
        return {member.value: member.term for member in cls}




class Category(Vocabulary):
    FEW_SHOT_PROMPTING = (
        "few_shot_prompting", "Few-shot prompted task",
        "A task where a plain prompt with a few solved examples goes from near chance to well above chance "
        "with scale.")
    AUGMENTED_PROMPTING = (
        "augmented_prompting", "Augmented prompting strategy",
        "A prompting, fine-tuning or decoding technique that only helps (or stops hurting) above some scale.")
    OTHER = (
        "other", "Other",
        "An emergent behaviour that fits neither group, described in the entry.")


class PromptingStrategy(Vocabulary):
    FEW_SHOT = (
        "few_shot", "Few-shot",
        "Solved examples of the task precede the question; no other help.")
    ZERO_SHOT = (
        "zero_shot", "Zero-shot",
        "The task is posed with instructions or the question alone, without solved examples.")
    CHAIN_OF_THOUGHT = (
        "chain_of_thought", "Chain of thought",
        "Examples show intermediate reasoning steps before the answer.")
    ZERO_SHOT_CHAIN_OF_THOUGHT = (
        "zero_shot_chain_of_thought", "Zero-shot chain of thought",
        "A generic cue to reason step by step replaces worked examples.")
    INSTRUCTION_TUNING = (
        "instruction_tuning", "Instruction tuning",
        "The model is fine-tuned on many tasks phrased as instructions, then asked unseen ones.")
    SCRATCHPAD = (
        "scratchpad", "Scratchpad",
        "The model is trained to write intermediate computation before the result.")
    SELF_CONSISTENCY = (
        "self_consistency", "Self-consistency",
        "Several reasoning paths are sampled and the most frequent final answer is taken.")
    LEAST_TO_MOST = (
        "least_to_most", "Least-to-most",
        "The problem is split into simpler sub-questions that are solved in order.")
    EXPLANATIONS = (
        "explanations", "Explanations in the prompt",
        "Few-shot examples come with explanations of their answers.")
    OPEN_BOOK_RETRIEVAL = (
        "open_book_retrieval", "Open-book retrieval",
        "Retrieved evidence is placed in the prompt alongside the claim.")
    DIFFERENTIABLE_SEARCH_INDEX = (
        "differentiable_search_index", "Differentiable search index",
        "A sequence-to-sequence model is trained to map queries directly to document identifiers.")
    SELF_EVALUATION = (
        "self_evaluation", "Self-evaluation",
        "The model judges whether its own proposed answer is correct.")
    ASK_ME_ANYTHING = (
        "ask_me_anything", "Ask me anything",
        "Several reformatted question-answer prompts are aggregated by weak supervision.")
    MULTILINGUAL_CHAIN_OF_THOUGHT = (
        "multilingual_chain_of_thought", "Multilingual chain of thought",
        "Chain-of-thought prompting applied to problems posed in many languages.")


class MetricName(Vocabulary):
    ACCURACY = (
        "accuracy", "Accuracy",
        "Share of items answered correctly.")
    EXACT_MATCH = (
        "exact_match", "Exact match",
        "Share of outputs identical to a target string.")
    MULTIPLE_CHOICE_GRADE = (
        "multiple_choice_grade", "Multiple-choice grade",
        "BIG-bench's score for choosing the highest-likelihood option among given answers.")
    BLEU = (
        "bleu", "BLEU",
        "N-gram overlap between generated and reference text.")
    ROUGE_L_SUM = (
        "rouge_l_sum", "ROUGE-Lsum",
        "Longest-common-subsequence overlap with reference text.")
    F1 = (
        "f1", "F1",
        "Harmonic mean of precision and recall.")
    MACRO_F1 = (
        "macro_f1", "Macro F1",
        "F1 averaged over classes.")
    SEQUENCE_F1 = (
        "sequence_f1", "Sequence F1",
        "Token-level F1 between output and target sequences.")
    BRIER_SCORE = (
        "brier_score", "Brier score",
        "Mean squared error of the predicted probabilities (lower is better).", True)
    TOKEN_EDIT_DISTANCE = (
        "token_edit_distance", "Token edit distance",
        "Edit distance between output and target tokens (lower is better).", True)
    AUROC = (
        "auroc", "AUROC",
        "Area under the ROC curve of a confidence score.")
    CALIBRATION_ERROR = (
        "calibration_error", "Calibration error",
        "Gap between stated confidence and observed accuracy (lower is better).", True)
    HITS_AT_1 = (
        "hits_at_1", "Hits@1",
        "Share of queries whose top retrieved item is correct.")
    NORMALIZED_AGGREGATE = (
        "normalized_aggregate", "Normalized aggregate",
        "BIG-bench's score rescaled so chance is 0 and a perfect score is 100.")
    LOG_LIKELIHOOD = (
        "log_likelihood", "Log-likelihood",
        "Log-probability the model assigns to the target.")
    OTHER = (
        "other", "Other",
        "A metric not listed here; the entry names it in name_in_source or note.")


class Status(Vocabulary):
    REPORTED = (
        "reported", "Reported",
        "Stated by the source; no later work has re-examined it in the catalog.")
    REPRODUCED = (
        "reproduced", "Reproduced",
        "A later work found the same jump for this task.")
    CONTESTED = (
        "contested", "Contested",
        "A later work argues the jump is not emergence for this task (e.g. a metric artifact).")
    REFUTED = (
        "refuted", "Refuted",
        "A later work shows the claim does not hold for this task.")


class RelationType(Vocabulary):
    REPRODUCES = (
        "reproduces", "Reproduces",
        "The work finds the same emergence for this task.")
    SUPPORTS = (
        "supports", "Supports",
        "The work adds evidence in line with the claim without re-running it.")
    CONTESTS = (
        "contests", "Contests",
        "The work argues that the jump is not emergence, or not only.")
    REFUTES = (
        "refutes", "Refutes",
        "The work shows that the claim does not hold.")


class ReasonClass(Vocabulary):
    METRIC_ARTIFACT = (
        "metric_artifact", "Metric artifact",
        "The jump comes from a discontinuous or nonlinear metric; a continuous metric shows smooth change.")
    RESOLUTION_ARTIFACT = (
        "resolution_artifact", "Resolution artifact",
        "Too little test data hides small non-zero scores of small models.")
    IN_CONTEXT_LEARNING = (
        "in_context_learning", "Explained by in-context learning",
        "The ability is accounted for by in-context learning, memory and linguistic knowledge.")
    DIFFICULTY_DEPENDENT_SCALING = (
        "difficulty_dependent_scaling", "Difficulty-dependent scaling",
        "Easy and hard items scale in opposite directions (U-shaped and inverted-U) and cancel out.")
    PRETRAINING_LOSS = (
        "pretraining_loss", "Pre-training loss threshold",
        "Emergence tracks pre-training loss rather than size.")
    PREDICTABLE = (
        "predictable", "Predictable in advance",
        "The jump can be forecast from smaller models with a suitable method.")
    SAME_RESULT = (
        "same_result", "Same result",
        "The work repeats the measurement and finds the same jump.")
    OTHER = (
        "other", "Other",
        "Another reason, stated in the relation's note.")


class RelationScope(Vocabulary):
    TASK = (
        "task", "This task",
        "The work examined this very task, with the same items (and family, where stated).")
    TASK_VARIANT = (
        "task_variant", "A version of this task",
        "The work examined another version of this task: its own items, a subset, or another format.")
    TASK_GROUP = (
        "task_group", "A task group",
        "The work examined a group of tasks that includes this one.")
    BENCHMARK = (
        "benchmark", "Benchmark-wide",
        "The work makes a claim about the benchmark as a whole.")


class Basis(Vocabulary):
    REPORTED = (
        "reported", "Reported",
        "Printed in the cited source.")
    DERIVED = (
        "derived", "Derived",
        "Computed from the model registry or another recorded value.")
    ESTIMATED = (
        "estimated", "Estimated",
        "Computed by a stated method (e.g. 6·N·D) from recorded inputs.")


class Evidence(Vocabulary):
    FULL_TEXT = (
        "full_text", "Full text",
        "Read in the source itself or a faithful full copy.")
    EXCERPT = (
        "excerpt", "Excerpt",
        "Read in a partial copy of the source.")
    TRANSCRIPTION = (
        "transcription", "Transcription",
        "Read in a third-party verbatim copy of the source's table, list or text (a transcription or text "
        "extraction), not in the source itself.")
    SECONDARY = (
        "secondary", "Secondary",
        "Read only in a third party's summary or notes about the source, not in its own words.")
    ABSTRACT = (
        "abstract", "Abstract only",
        "Read only in the source's abstract.")
    INFERRED = (
        "inferred", "Inferred",
        "Deduced from other recorded lists; the entry's notes say how.")


class SourceRole(Vocabulary):
    PRIMARY_EVIDENCE = (
        "primary_evidence", "Primary evidence",
        "The work whose experiments show the ability.")
    ALSO_LISTS = (
        "also_lists", "Also lists",
        "The work repeats or lists the claim.")
    REPRODUCTION = (
        "reproduction", "Reproduction",
        "The work reproduces the measurement.")
    BENCHMARK = (
        "benchmark", "Benchmark",
        "The work that defines the task or benchmark.")


class AnswerFormat(Vocabulary):
    MULTIPLE_CHOICE = (
        "multiple_choice", "Multiple choice",
        "The model picks one of given options.")
    GENERATIVE = (
        "generative", "Generative",
        "The model writes its answer.")
    BOTH = (
        "both", "Both",
        "The task has multiple-choice and generative items.")


class ScoreScale(Vocabulary):
    FRACTION = (
        "fraction", "Fraction",
        "Scores from 0 to 1.")
    PERCENT = (
        "percent", "Percent",
        "Scores from 0 to 100.")


class ClaimForm(Vocabulary):
    INTERVAL = (
        "interval", "Threshold (interval)",
        "Near chance (or no gain) at the next smaller evaluated size, clearly above it at the named size: the "
        "emergence scale lies between the two.")
    UPPER_BOUND = (
        "upper_bound", "Upper bound (by this size)",
        "Above chance at the named size, often the largest one tested; the source does not show where between "
        "the smaller sizes the rise happens, so the ability emerged at or below this size.")
    LOSS_THRESHOLD = (
        "loss_threshold", "Pre-training loss threshold",
        "The claim is a threshold on pre-training loss, not on size; the named size is the study's largest "
        "model, a placeholder for placing the entry, not an emergence size.")
    SHAPE = (
        "shape", "Shape of the curve",
        "The claim describes how performance changes with scale (e.g. U-shaped), not where it crosses chance; "
        "the named size is where the source describes the change.")


class EntryKind(Vocabulary):
    ABILITY = (
        "ability", "Ability",
        "Something models can do, which appears or improves with scale.")
    RISK = (
        "risk", "Risk",
        "A harm or undesirable behaviour whose size changes with scale (e.g. imitative falsehoods, bias).")
    MITIGATION = (
        "mitigation", "Mitigation",
        "A way to reduce a risk whose effect changes with scale (e.g. self-correction when asked).")


class Direction(Vocabulary):
    EMERGENT = (
        "emergent", "Emergent",
        "Near chance (or no gain) below some scale, clearly above it from there on.")
    INVERSE = (
        "inverse", "Inverse",
        "Gets worse as scale grows.")
    U_SHAPED = (
        "u_shaped", "U-shaped",
        "Gets worse and then better again as scale grows.")
    INVERTED_U = (
        "inverted_u", "Inverted U",
        "Gets better and then worse again as scale grows.")
    SMOOTH = (
        "smooth", "Smooth",
        "Changes steadily with scale, without a threshold.")
    FLAT = (
        "flat", "Flat",
        "Does not change with scale in the range studied.")
    MIXED = (
        "mixed", "Mixed",
        "Different directions in different families, prompts or versions; the entry says which.")


class AxisName(Vocabulary):
    MODEL_SCALE = (
        "model_scale", "Model scale",
        "Parameters and training FLOPs of models of one family (the entry's scale fields).")
    TRAINING_STEPS = (
        "training_steps", "Training steps",
        "Steps or tokens seen during pre-training of one model.")
    PRETRAINING_LOSS = (
        "pretraining_loss", "Pre-training loss",
        "The model's loss on its pre-training distribution.")
    RL_COMPUTE = (
        "rl_compute", "RL compute or steps",
        "Reinforcement-learning steps or compute after pre-training (RLHF, RL for reasoning).")
    TEST_TIME_COMPUTE = (
        "test_time_compute", "Test-time compute",
        "Computation spent when answering: thinking tokens, search, revisions.")
    SAMPLES = (
        "samples", "Samples",
        "Number of attempts sampled per problem.")
    DATA = (
        "data", "Training data",
        "What the model is trained on (e.g. simplified vocabulary), at a fixed or small size.")
    MODEL_COMPARISON = (
        "model_comparison", "Model comparison",
        "Named models compared, without a sweep of one family's sizes.")


class EmergentSense(Vocabulary):
    SCALE = (
        "scale", "With scale",
        "The sense of Wei et al. (2022): absent at smaller scale, present at larger scale.")
    OTHER = (
        "other", "Another sense",
        "The source calls the behaviour emergent in another sense (e.g. broad misalignment appearing after "
        "narrow fine-tuning); it is not a threshold in scale.")


# The ``{value: Term}`` tables, kept for callers that look terms up by value.
CATEGORY_TERMS: dict[str, Term] = Category.terms()
PROMPTING_TERMS: dict[str, Term] = PromptingStrategy.terms()
METRIC_TERMS: dict[str, Term] = MetricName.terms()
STATUS_TERMS: dict[str, Term] = Status.terms()
RELATION_TERMS: dict[str, Term] = RelationType.terms()
REASON_TERMS: dict[str, Term] = ReasonClass.terms()
SCOPE_TERMS: dict[str, Term] = RelationScope.terms()
BASIS_TERMS: dict[str, Term] = Basis.terms()
EVIDENCE_TERMS: dict[str, Term] = Evidence.terms()
SOURCE_ROLE_TERMS: dict[str, Term] = SourceRole.terms()
ANSWER_FORMAT_TERMS: dict[str, Term] = AnswerFormat.terms()
SCORE_SCALE_TERMS: dict[str, Term] = ScoreScale.terms()
CLAIM_FORM_TERMS: dict[str, Term] = ClaimForm.terms()
KIND_TERMS: dict[str, Term] = EntryKind.terms()
DIRECTION_TERMS: dict[str, Term] = Direction.terms()
AXIS_TERMS: dict[str, Term] = AxisName.terms()
SENSE_TERMS: dict[str, Term] = EmergentSense.terms()

#: Which relation types each reason class can go with: one kind of argument, one relation type.
#: A reason that disputes the definition's "near chance, then a jump no one could foresee" contests;
#: "same result" is what a reproduction finds.
REASON_RELATION_TYPES: dict[str, tuple[str, ...]] = {
    "metric_artifact": ("contests", "refutes"),
    "resolution_artifact": ("contests", "refutes"),
    "in_context_learning": ("contests", "refutes"),
    "difficulty_dependent_scaling": ("contests",),
    "predictable": ("contests",),
    "pretraining_loss": ("supports",),
    "same_result": ("reproduces",),
    "other": ("reproduces", "supports", "contests", "refutes"),
}

#: Every vocabulary by the name used in docs and the JSON Schema.
VOCABULARIES: dict[str, dict[str, Term]] = {
    "category": CATEGORY_TERMS,
    "prompting strategy": PROMPTING_TERMS,
    "metric": METRIC_TERMS,
    "status": STATUS_TERMS,
    "relation type": RELATION_TERMS,
    "reason class": REASON_TERMS,
    "relation scope": SCOPE_TERMS,
    "basis": BASIS_TERMS,
    "evidence": EVIDENCE_TERMS,
    "source role": SOURCE_ROLE_TERMS,
    "answer format": ANSWER_FORMAT_TERMS,
    "score scale": SCORE_SCALE_TERMS,
    "claim form": CLAIM_FORM_TERMS,
    "kind": KIND_TERMS,
    "direction": DIRECTION_TERMS,
    "axis": AXIS_TERMS,
    "emergent sense": SENSE_TERMS,
}

#: The same vocabularies as enum classes.
VOCABULARY_CLASSES: dict[str, type[Vocabulary]] = {
    "category": Category,
    "prompting strategy": PromptingStrategy,
    "metric": MetricName,
    "status": Status,
    "relation type": RelationType,
    "reason class": ReasonClass,
    "relation scope": RelationScope,
    "basis": Basis,
    "evidence": Evidence,
    "source role": SourceRole,
    "answer format": AnswerFormat,
    "score scale": ScoreScale,
    "claim form": ClaimForm,
    "kind": EntryKind,
    "direction": Direction,
    "axis": AxisName,
    "emergent sense": EmergentSense,
}


class ScaleView(Vocabulary):
    """Which value of an entry's scale the catalog serves (an option of ``Catalog.scale``, not a data field)."""

    CANONICAL = (
        "canonical", "Canonical",
        "The model registry's value of the named size when it has one, else the entry's own: one value per model size.")
    AS_PRINTED = (
        "as_printed", "As printed by the source",
        "The value the entry's source prints when the entry states one, else the registry's.")
