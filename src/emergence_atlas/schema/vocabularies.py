"""Controlled vocabularies: the single source of every allowed category, strategy, metric, ...

Part of the schema step. Each vocabulary is a ``str`` enum (so YAML holds the plain
value) plus a table of human labels and definitions that the JSON Schema, the
docs, the site's filters and the CLI's help all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Term:
    """One allowed value with its label and definition."""

    value: str
    label: str
    definition: str


def _vocabulary(name: str, terms: list[Term]) -> tuple[type[Enum], dict[str, Term]]:
    enum = Enum(name, {t.value.upper(): t.value for t in terms}, type=str)  # type: ignore[misc]
    enum.__str__ = lambda self: self.value  # type: ignore[method-assign]
    return enum, {t.value: t for t in terms}


Category, CATEGORY_TERMS = _vocabulary("Category", [
    Term("few_shot_prompting", "Few-shot prompted task",
         "A task where a plain prompt with a few solved examples goes from near chance to well above chance with scale."),
    Term("augmented_prompting", "Augmented prompting strategy",
         "A prompting, fine-tuning or decoding technique that only helps (or stops hurting) above some scale."),
    Term("other", "Other", "An emergent behaviour that fits neither group, described in the entry."),
])

PromptingStrategy, PROMPTING_TERMS = _vocabulary("PromptingStrategy", [
    Term("few_shot", "Few-shot", "Solved examples of the task precede the question; no other help."),
    Term("zero_shot", "Zero-shot", "The task is posed with instructions or the question alone, without solved examples."),
    Term("chain_of_thought", "Chain of thought", "Examples show intermediate reasoning steps before the answer."),
    Term("zero_shot_chain_of_thought", "Zero-shot chain of thought",
         "A generic cue to reason step by step replaces worked examples."),
    Term("instruction_tuning", "Instruction tuning",
         "The model is fine-tuned on many tasks phrased as instructions, then asked unseen ones."),
    Term("scratchpad", "Scratchpad", "The model is trained to write intermediate computation before the result."),
    Term("self_consistency", "Self-consistency",
         "Several reasoning paths are sampled and the most frequent final answer is taken."),
    Term("least_to_most", "Least-to-most",
         "The problem is split into simpler sub-questions that are solved in order."),
    Term("explanations", "Explanations in the prompt", "Few-shot examples come with explanations of their answers."),
    Term("open_book_retrieval", "Open-book retrieval", "Retrieved evidence is placed in the prompt alongside the claim."),
    Term("differentiable_search_index", "Differentiable search index",
         "A sequence-to-sequence model is trained to map queries directly to document identifiers."),
    Term("self_evaluation", "Self-evaluation", "The model judges whether its own proposed answer is correct."),
    Term("ask_me_anything", "Ask me anything",
         "Several reformatted question-answer prompts are aggregated by weak supervision."),
    Term("multilingual_chain_of_thought", "Multilingual chain of thought",
         "Chain-of-thought prompting applied to problems posed in many languages."),
])

MetricName, METRIC_TERMS = _vocabulary("MetricName", [
    Term("accuracy", "Accuracy", "Share of items answered correctly."),
    Term("exact_match", "Exact match", "Share of outputs identical to a target string."),
    Term("multiple_choice_grade", "Multiple-choice grade",
         "BIG-bench's score for choosing the highest-likelihood option among given answers."),
    Term("bleu", "BLEU", "N-gram overlap between generated and reference text."),
    Term("rouge_l_sum", "ROUGE-Lsum", "Longest-common-subsequence overlap with reference text."),
    Term("f1", "F1", "Harmonic mean of precision and recall."),
    Term("macro_f1", "Macro F1", "F1 averaged over classes."),
    Term("sequence_f1", "Sequence F1", "Token-level F1 between output and target sequences."),
    Term("brier_score", "Brier score", "Mean squared error of the predicted probabilities (lower is better)."),
    Term("token_edit_distance", "Token edit distance", "Edit distance between output and target tokens (lower is better)."),
    Term("auroc", "AUROC", "Area under the ROC curve of a confidence score."),
    Term("calibration_error", "Calibration error", "Gap between stated confidence and observed accuracy (lower is better)."),
    Term("hits_at_1", "Hits@1", "Share of queries whose top retrieved item is correct."),
    Term("normalized_aggregate", "Normalized aggregate", "BIG-bench's score rescaled so chance is 0 and a perfect score is 100."),
    Term("log_likelihood", "Log-likelihood", "Log-probability the model assigns to the target."),
    Term("other", "Other", "A metric not listed here; the entry names it in name_in_source or note."),
])

Status, STATUS_TERMS = _vocabulary("Status", [
    Term("reported", "Reported", "Stated by the source; no later work has re-examined it in the catalog."),
    Term("reproduced", "Reproduced", "A later work found the same jump for this task."),
    Term("contested", "Contested", "A later work argues the jump is not emergence for this task (e.g. a metric artifact)."),
    Term("refuted", "Refuted", "A later work shows the claim does not hold for this task."),
])

RelationType, RELATION_TERMS = _vocabulary("RelationType", [
    Term("reproduces", "Reproduces", "The work finds the same emergence for this task."),
    Term("supports", "Supports", "The work adds evidence in line with the claim without re-running it."),
    Term("contests", "Contests", "The work argues that the jump is not emergence, or not only."),
    Term("refutes", "Refutes", "The work shows that the claim does not hold."),
])

ReasonClass, REASON_TERMS = _vocabulary("ReasonClass", [
    Term("metric_artifact", "Metric artifact",
         "The jump comes from a discontinuous or nonlinear metric; a continuous metric shows smooth change."),
    Term("resolution_artifact", "Resolution artifact",
         "Too little test data hides small non-zero scores of small models."),
    Term("in_context_learning", "Explained by in-context learning",
         "The ability is accounted for by in-context learning, memory and linguistic knowledge."),
    Term("difficulty_dependent_scaling", "Difficulty-dependent scaling",
         "Easy and hard items scale in opposite directions (U-shaped and inverted-U) and cancel out."),
    Term("pretraining_loss", "Pre-training loss threshold", "Emergence tracks pre-training loss rather than size."),
    Term("predictable", "Predictable in advance", "The jump can be forecast from smaller models with a suitable method."),
    Term("same_result", "Same result", "The work repeats the measurement and finds the same jump."),
    Term("other", "Other", "Another reason, stated in the relation's note."),
])

RelationScope, SCOPE_TERMS = _vocabulary("RelationScope", [
    Term("task", "This task", "The work examined this very task, with the same items (and family, where stated)."),
    Term("task_variant", "A version of this task",
         "The work examined another version of this task: its own items, a subset, or another format."),
    Term("task_group", "A task group", "The work examined a group of tasks that includes this one."),
    Term("benchmark", "Benchmark-wide", "The work makes a claim about the benchmark as a whole."),
])

Basis, BASIS_TERMS = _vocabulary("Basis", [
    Term("reported", "Reported", "Printed in the cited source."),
    Term("derived", "Derived", "Computed from the model registry or another recorded value."),
    Term("estimated", "Estimated", "Computed by a stated method (e.g. 6·N·D) from recorded inputs."),
])

Evidence, EVIDENCE_TERMS = _vocabulary("Evidence", [
    Term("full_text", "Full text", "Read in the source itself or a faithful full copy."),
    Term("excerpt", "Excerpt", "Read in a partial copy of the source."),
    Term("transcription", "Transcription",
         "Read in a third-party verbatim copy of the source's table, list or text (a transcription or text extraction), "
         "not in the source itself."),
    Term("secondary", "Secondary", "Read only in a third party's summary or notes about the source, not in its own words."),
    Term("abstract", "Abstract only", "Read only in the source's abstract."),
    Term("inferred", "Inferred", "Deduced from other recorded lists; the entry's notes say how."),
])

SourceRole, SOURCE_ROLE_TERMS = _vocabulary("SourceRole", [
    Term("primary_evidence", "Primary evidence", "The work whose experiments show the ability."),
    Term("also_lists", "Also lists", "The work repeats or lists the claim."),
    Term("reproduction", "Reproduction", "The work reproduces the measurement."),
    Term("benchmark", "Benchmark", "The work that defines the task or benchmark."),
])

AnswerFormat, ANSWER_FORMAT_TERMS = _vocabulary("AnswerFormat", [
    Term("multiple_choice", "Multiple choice", "The model picks one of given options."),
    Term("generative", "Generative", "The model writes its answer."),
    Term("both", "Both", "The task has multiple-choice and generative items."),
])

ScoreScale, SCORE_SCALE_TERMS = _vocabulary("ScoreScale", [
    Term("fraction", "Fraction", "Scores from 0 to 1."),
    Term("percent", "Percent", "Scores from 0 to 100."),
])

ClaimForm, CLAIM_FORM_TERMS = _vocabulary("ClaimForm", [
    Term("interval", "Threshold (interval)",
         "Near chance (or no gain) at the next smaller evaluated size, clearly above it at the named size: the "
         "emergence scale lies between the two."),
    Term("upper_bound", "Upper bound (by this size)",
         "Above chance at the named size, often the largest one tested; the source does not show where between "
         "the smaller sizes the rise happens, so the ability emerged at or below this size."),
    Term("loss_threshold", "Pre-training loss threshold",
         "The claim is a threshold on pre-training loss, not on size; the named size is the study's largest model, "
         "a placeholder for placing the entry, not an emergence size."),
    Term("shape", "Shape of the curve",
         "The claim describes how performance changes with scale (e.g. U-shaped), not where it crosses chance; "
         "the named size is where the source describes the change."),
])

EntryKind, KIND_TERMS = _vocabulary("EntryKind", [
    Term("ability", "Ability", "Something models can do, which appears or improves with scale."),
    Term("risk", "Risk", "A harm or undesirable behaviour whose size changes with scale (e.g. imitative falsehoods, bias)."),
    Term("mitigation", "Mitigation", "A way to reduce a risk whose effect changes with scale (e.g. self-correction when asked)."),
])

Direction, DIRECTION_TERMS = _vocabulary("Direction", [
    Term("emergent", "Emergent", "Near chance (or no gain) below some scale, clearly above it from there on."),
    Term("inverse", "Inverse", "Gets worse as scale grows."),
    Term("u_shaped", "U-shaped", "Gets worse and then better again as scale grows."),
    Term("inverted_u", "Inverted U", "Gets better and then worse again as scale grows."),
    Term("smooth", "Smooth", "Changes steadily with scale, without a threshold."),
    Term("flat", "Flat", "Does not change with scale in the range studied."),
    Term("mixed", "Mixed", "Different directions in different families, prompts or versions; the entry says which."),
])

AxisName, AXIS_TERMS = _vocabulary("AxisName", [
    Term("model_scale", "Model scale", "Parameters and training FLOPs of models of one family (the entry's scale fields)."),
    Term("training_steps", "Training steps", "Steps or tokens seen during pre-training of one model."),
    Term("pretraining_loss", "Pre-training loss", "The model's loss on its pre-training distribution."),
    Term("rl_compute", "RL compute or steps", "Reinforcement-learning steps or compute after pre-training (RLHF, RL for reasoning)."),
    Term("test_time_compute", "Test-time compute", "Computation spent when answering: thinking tokens, search, revisions."),
    Term("samples", "Samples", "Number of attempts sampled per problem."),
    Term("data", "Training data", "What the model is trained on (e.g. simplified vocabulary), at a fixed or small size."),
    Term("model_comparison", "Model comparison", "Named models compared, without a sweep of one family's sizes."),
])

EmergentSense, SENSE_TERMS = _vocabulary("EmergentSense", [
    Term("scale", "With scale", "The sense of Wei et al. (2022): absent at smaller scale, present at larger scale."),
    Term("other", "Another sense",
         "The source calls the behaviour emergent in another sense (e.g. broad misalignment appearing after narrow "
         "fine-tuning); it is not a threshold in scale."),
])

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
