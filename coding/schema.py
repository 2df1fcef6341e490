"""Tables of the coding stage: the codebook, automatic and human codings, and agreement between coders."""

from __future__ import annotations

from bolyst.corpus.shape import Column as C
from bolyst.corpus.shape import Table

from .views import QUERIES, VIEWS  # noqa: F401  (the stage's views and canned queries, declared beside)

SPLIT = ("Split (coding/FORMAT.md): seed documents 'training' or 'heldout' (by passage), development set 'dev' or "
         "'test' (by source). Rules are written and models trained from training and dev only.")
LANG = "Language of the excerpts compared: nb, nn, en, or 'all' (every language; sub-codes are compared on 'all' only)."
LEVEL = "'theme' (a top-level code, present when any code under it is) or 'code' (a sub-code, present when it or any code under it is)."

CODES = Table(
    "codes", "The codebook (coding/codebook.yaml) as a tree: four themes (push, pull, stay, retain) and their sub-codes.",
    (
        C("id", str, "Stable dotted code id, e.g. 'push.loneliness'."),
        C("parent", str, "The code this one refines (empty for a theme).", fk="codes"),
        C("theme", str, "Top-level ancestor: push, pull, stay or retain (a theme is its own theme).", fk="codes"),
        C("label_nb", str, "Label in Norwegian Bokmål."),
        C("label_en", str, "Label in English."),
        C("definition", str, "What the code means."),
        C("includes", str, "What counts as this code."),
        C("excludes", str, "What does not count, and where it goes instead."),
        C("about", str, "Which place the code is about, as its definition says: origin (the country of origin), "
                        "place_left, destination or current_place (a sub-code without its own takes its parent's)."),
        C("depth", int, "0 for a theme, 1 for its sub-codes, and so on."),
        C("path", str, "Ids from the theme down to this code, separated by ' › '."),
        C("position", int, "Order of the code in the codebook file."),
        C("n_rules", int, "Number of automatic coding rules for this code."),
        C("line", int, "Line of the code in coding/codebook.yaml."),
    ),
    pk=("id",), label_column="label_nb", facets=("theme", "depth"), sort="position",
)

CODE_EXAMPLES = Table(
    "code_examples", "Excerpts the codebook names as examples of a code.",
    (
        C("code", str, "The code.", fk="codes"),
        C("excerpt", str, "An excerpt that shows the code.", fk="excerpts"),
    ),
    pk=("code", "excerpt"), facets=("code",),
)

CODE_RULES = Table(
    "code_rules", "Rules of the automatic coder: spaCy patterns over lemmas, each suggesting one code.",
    (
        C("id", str, "Stable rule id, unique across the codebook; stored on every coding it produces."),
        C("code", str, "The code the rule suggests.", fk="codes"),
        C("theme", str, "Theme of that code.", fk="codes"),
        C("lang", str, "Language of the texts the rule reads: nb (also used for nn) or en."),
        C("kind", str, "tokens (a spaCy Matcher token pattern) or phrase (a phrase matched on lemmas)."),
        C("pattern", str, "The pattern as JSON (token pattern) or text (phrase)."),
        C("score", float, "Prior confidence of the rule, 0–1; the score of its codings."),
        C("examples", str, "JSON list of sentences the rule must fire on (checked by the tests)."),
        C("counter_examples", str, "JSON list of sentences it must not fire on (negation, hypotheticals …)."),
        C("n_codings", int, "Automatic codings this rule produced in the corpus."),
        C("line", int, "Line of the rule in coding/codebook.yaml."),
    ),
    pk=("id",), facets=("theme", "code", "lang", "kind"), sort="id",
)

CODINGS = Table(
    "codings", "Codes applied to excerpts: suggestions of the automatic coder (with rule and matched span), "
               "of the trained model (a theme and a score for the whole excerpt) and human coders' decisions "
               "(coding/decisions/*.yaml).",
    (
        C("id", str, "Coding id: 'auto:<rule>@<excerpt>:<start>-<end>', 'model:<theme>@<excerpt>' or "
                     "'human:<coder>@<excerpt>:<code>'."),
        C("excerpt", str, "The coded excerpt.", fk="excerpts"),
        C("code", str, "The code.", fk="codes"),
        C("theme", str, "Theme of the code (push, pull, stay, retain).", fk="codes"),
        C("coder", str, "'auto' for the codebook rules, 'model' for the trained model (coding_models), "
                        "'llm:<model>' for a language model (llm_answers), else the human coder's id."),
        C("origin", str, "Who coded it: human (a human coder's decision), rule (a codebook rule), model (the trained "
                         "model) or llm (a language model, coder 'llm:<model>', run by `bolyst code --llm-url`)."),
        C("review_state", str, "Whether a person confirmed it: confirmed (a human coding, or an automatic one a human "
                               "accepted), rejected (a human says it does not apply) or unreviewed (automatic, no "
                               "human decision yet, or humans disagree). Evidence on pages and in exports is "
                               "confirmed codings; unreviewed ones are shown apart and marked."),
        C("rule", str, "The codebook rule that produced an automatic coding (empty for the model's).", fk="code_rules"),
        C("span_start", int, "Start of the matched text, as a character offset into the excerpt's text (0 for the "
                             "model's: a text classifier has no span, it reads the whole excerpt)."),
        C("span_end", int, "End of the matched text (exclusive character offset; the text's length for the model's)."),
        C("span_text", str, "The matched text: the evidence for a rule's coding (the whole excerpt for the model's)."),
        C("score", float, "Confidence 0–1 of an automatic coding: the rule's score, or the model's score for the "
                          "theme rounded to 3 decimals (suggested from 0.5 up); 1 for human codings."),
        C("status", str, "suggested (automatic, not reviewed), accepted / rejected / disputed (automatic, "
                         "after human review: a human applied the code or one under it, rejected the code or "
                         "one above it, or both by different coders), human "
                         "(a human coder applies the code) or rejected (a human coder says it does not apply)."),
        C("action", str, "For human codings: the decision in force, add, accept or reject."),
        C("decided", str, "For human codings: date of the decision (YYYY-MM-DD)."),
        C("note", str, "For human codings: the coder's note."),
        C("rationale", str, "For llm codings: the language model's short reason for the code (its evidence span is "
                            "span_text)."),
        C("decision_file", str, "For human codings: the decisions file and line the decision is read from."),
        C("split", str, SPLIT),
        C("source", str, "Source document of the excerpt (copied for faceting).", fk="sources"),
        C("speaker_role", str, "Role of the excerpt's speaker (copied for faceting)."),
        C("landsdel", str, "Landsdel of the excerpt's place, where known (copied for faceting)."),
    ),
    pk=("id",), facets=("theme", "code", "review_state", "origin", "status", "coder", "split"), sort="id",
    indexes=(("excerpt",), ("code",), ("theme",), ("rule",), ("review_state",)),
)

CODING_DECISIONS = Table(
    "coding_decisions", "Every human coding decision as written in coding/decisions/<coder>.yaml, "
                        "superseded ones included.",
    (
        C("id", str, "'<coder>#<n>': the n-th decision (0-based) in the coder's file."),
        C("coder", str, "Human coder id (the file's name)."),
        C("excerpt", str, "The excerpt decided on.", fk="excerpts"),
        C("code", str, "The code decided on.", fk="codes"),
        C("action", str, "add (the coder applies the code), accept (confirms an automatic coding) or reject."),
        C("date", str, "Date of the decision (YYYY-MM-DD)."),
        C("note", str, "The coder's reasoning."),
        C("in_force", int, "1 when this is the coder's latest decision on this excerpt and code, else 0."),
        C("scope", str, "Which excerpts the coder read: 'documents' (of the knowledge base's documents, those "
                        "the coder made a decision in), 'devset' (the development set) or 'all'; an excerpt in "
                        "scope without a decision carries none of the coder's codes."),
        C("reference", int, "1 for the reconciled reference coding that models learn from and are measured on."),
        C("file", str, "Decisions file (relative to coding/)."),
        C("line", int, "Line of the decision in that file."),
    ),
    pk=("id",), facets=("coder", "action", "in_force"), sort="id",
)

CODING_MODELS = Table(
    "coding_models", "The trained suggester (coder 'model'): a spaCy textcat_multilabel trained at build time on "
                     "the human codings of the learn-from splits only (training, dev); its codings have origin 'model'.",
    (
        C("id", str, "Model id, the coder id of its codings ('model')."),
        C("component", str, "spaCy component: textcat_multilabel on a blank Norwegian pipeline."),
        C("architecture", str, "spaCy model architecture (bag of words, trained from scratch)."),
        C("features", str, "What a token is to the bag of words: lemma (simplemma), lower or orth."),
        C("ngram_size", int, "Longest word sequence used as a feature (1 = single words)."),
        C("epochs", int, "Passes over the training excerpts."),
        C("seed", int, "Random seed (spacy.util.fix_random_seed and the shuffle of each epoch)."),
        C("threshold", float, "A theme is suggested when its rounded score is at least this."),
        C("target", str, "What the model learns: union (a theme any human coder applies) or all (every one does)."),
        C("labels", str, "Themes learned, separated by ', ' (those with at least 5 positive and 5 negative "
                         "training excerpts; sub-codes are too rare to learn)."),
        C("human_coders", str, "Human coders whose decisions in force made the target, separated by ', '."),
        C("n_training", int, "Training excerpts (training and dev splits; heldout and test are never trained on)."),
        C("positives", str, "JSON: per theme, the training excerpts carrying it."),
        C("settings", str, "Every training setting as name=value, separated by ', '."),
    ),
    pk=("id",),
)

LLM_ANSWERS = Table(
    "llm_answers", "Which excerpts a language model coded (`bolyst code --llm-url`): one row per excerpt and "
                   "model, with or without codes, so its agreement is measured over the excerpts it read.",
    (
        C("id", str, "'<coder>@<excerpt>'."),
        C("coder", str, "'llm:<model>'."),
        C("excerpt", str, "The excerpt sent.", fk="excerpts"),
        C("model", str, "Model name as the endpoint reported it."),
        C("prompt_version", str, "Version of Bolyst's prompt (coding/llm/prompt.py)."),
        C("codebook_version", str, "Hash of the codebook text the prompt was built from."),
        C("cache_key", str, "sha256 of (text, codebook version, model, prompt version): the answer cache's key."),
        C("n_codes", int, "Valid codes in the answer."),
        C("errors", str, "What was wrong with the answer (unknown codes, spans not in the text), separated by '; '."),
        C("answered", str, "When the answer was received (UTC, ISO 8601)."),
    ),
    pk=("id",), facets=("coder", "model"), sort="id",
)

EXCERPT_SPLITS = Table(
    "excerpt_splits", "Which excerpts are held out from rule writing, and which human coders coded each.",
    (
        C("excerpt", str, "The excerpt.", fk="excerpts"),
        C("split", str, SPLIT),
        C("lang", str, "Language of the excerpt."),
        C("source_group", str, "'devset' for the development set, empty for the knowledge base's documents."),
        C("coders", str, "Human coders with a decision on this excerpt, separated by ', ' (they coded it)."),
    ),
    pk=("excerpt",), facets=("split", "lang", "source_group"),
)

_WHERE = (
    C("level", str, LEVEL),
    C("code", str, "The code (or theme) compared.", fk="codes"),
    C("theme", str, "Its theme.", fk="codes"),
    C("split", str, SPLIT + " 'all' is every split together."),
    C("lang", str, LANG),
    C("units", str, "Which excerpts a human coder is taken to have coded: 'corpus' (all: an excerpt without a "
                    "decision carries none of their codes) or 'decided' (only those with a decision)."),
)

AGREEMENT_KAPPA = Table(
    "agreement_kappa", "Cohen's κ between two coders ('auto': the codebook rules, 'model': the trained model) on "
                       "the presence of a code "
                       "per excerpt, over the excerpts both coded.",
    _WHERE + (
        C("coder_a", str, "First coder."),
        C("coder_b", str, "Second coder."),
        C("n_units", int, "Excerpts both coders coded (see units)."),
        C("both", int, "Excerpts where both coders apply the code."),
        C("a_only", int, "Excerpts where only coder_a applies it."),
        C("b_only", int, "Excerpts where only coder_b applies it."),
        C("neither", int, "Excerpts where neither applies it."),
        C("observed", float, "Observed agreement p_o = (both + neither) / n_units."),
        C("expected", float, "Chance agreement p_e from each coder's own rate of applying the code."),
        C("kappa", float, "Cohen's κ = (p_o − p_e) / (1 − p_e); empty when p_e = 1 (both coders constant)."),
    ),
    pk=("level", "code", "split", "lang", "coder_a", "coder_b"),
    facets=("level", "split", "lang", "coder_a", "coder_b"),
)

AGREEMENT_ALPHA = Table(
    "agreement_alpha", "Krippendorff's α (nominal) across all coders on the presence of a code per excerpt.",
    _WHERE + (
        C("coders", str, "Coders compared, separated by ', '."),
        C("n_units", int, "Excerpts coded by at least two coders."),
        C("n_values", int, "Pairable values: codings of those excerpts by all coders."),
        C("observed_disagreement", float, "D_o: share of disagreeing pairs within excerpts."),
        C("expected_disagreement", float, "D_e: share of disagreeing pairs expected by chance."),
        C("alpha", float, "Krippendorff's α = 1 − D_o / D_e; empty when D_e = 0."),
    ),
    pk=("level", "code", "split", "lang"), facets=("level", "split", "lang"),
)

AGREEMENT_SCORES = Table(
    "agreement_scores", "Each automatic coder (rules, model) measured against each human coder: precision, "
                        "recall and F1 on the presence of a code, over the excerpts the human coded.",
    _WHERE + (
        C("auto_coder", str, "The automatic coder measured: 'auto' (the codebook rules), 'model' (the trained model) "
                             "or 'combined' (what `bolyst code` suggests: the rules' codes, and each theme the model "
                             "scores at or above its threshold)."),
        C("coder", str, "The human coder taken as the truth."),
        C("n_units", int, "Excerpts the human coder coded (see units)."),
        C("tp", int, "True positives: both apply the code."),
        C("fp", int, "False positives: only the automatic coder applies it."),
        C("fn", int, "False negatives: only the human applies it."),
        C("tn", int, "True negatives: neither applies it."),
        C("precision", float, "tp / (tp + fp); empty when the automatic coder never applies it."),
        C("recall", float, "tp / (tp + fn); empty when the human never applies it."),
        C("f1", float, "Harmonic mean of precision and recall (0 when both are 0); empty when either is empty."),
    ),
    pk=("level", "code", "split", "lang", "auto_coder", "coder"),
    facets=("level", "split", "lang", "auto_coder", "coder"),
)

TABLES: tuple[Table, ...] = (CODES, CODE_EXAMPLES, CODE_RULES, CODINGS, CODING_MODELS, CODING_DECISIONS,
                             LLM_ANSWERS, EXCERPT_SPLITS, AGREEMENT_KAPPA, AGREEMENT_ALPHA, AGREEMENT_SCORES)
AGREEMENT_TABLES: tuple[Table, ...] = (AGREEMENT_KAPPA, AGREEMENT_ALPHA, AGREEMENT_SCORES)
