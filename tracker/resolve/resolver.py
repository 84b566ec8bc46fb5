"""Decide which place each mention means, with an ACLED-style precision and a confidence.

The resolver puts together the parts its neighbours hold, in the order it runs them:

* ``written_form``: rules on the form of the text come first, each keeping part of a name's
  candidates when it has any ("Latakia province" keeps the regions, "the New York border" the
  countries and regions, a wire dateline the towns, "Tacoma, Washington" the state holding a
  Tacoma, "Ivanivka, Kharkiv oblast" the namesakes inside the oblast);
* ``ranking``: each candidate is described by word-independent features and scored by a
  conditional logit model (``data/resolver/ranker.json``). Three passes: the first ranks every
  mention by its prior alone; the second and third score again with the context the previous
  pass chose, the mention's own name left out of it;
* ``article_rules``: after them, rules over the whole article (a name repeated in the article
  means one place, a name that begins a longer one lies with it, …);
* ``placing``: the winner becomes a ``Toponym``; ``confidence`` is the softmax share of the
  winning score among the candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.gazetteer.index import Gazetteer
from tracker.models import Mention, Place, Toponym
from tracker.resolve.article_rules import (article_countries_over_namesakes_abroad,
                                           capitals_over_unsupported_namesake_regions,
                                           lone_places_abroad_to_the_notes_countries, nearest_namesakes_at_home,
                                           one_sense_per_discourse, regions_of_reporting_over_namesake_towns,
                                           short_forms_of_longer_names)
from tracker.resolve.placing import at_area, place_in_enclosing_areas, place_sites, placed_toponym, unplaced_toponym
from tracker.resolve.ranking import (ArticleContext, Colocation, RankingModel, ScoredCandidates, argmax,
                                     default_ranking_model, local_country_hints, prior_features_of, softmax_share)
from tracker.resolve.written_form import (WrittenForm, areas_holding_the_name_before, inside_written_areas,
                                          named_divisions, region_word_after, usable_candidates)


class Resolver:
    """Callable: (mentions, text) -> toponyms, one per mention, in the mentions' order."""

    def __init__(self, gazetteer: Gazetteer, model: RankingModel | None = None) -> None:
        self.gazetteer = gazetteer
        self.model = model or default_ranking_model()

    def __call__(self, mentions: Sequence[Mention], text: str) -> list[Toponym]:
        toponyms = []
        scored_mentions = self.score(mentions, text)
        for mention, scored, ranked in zip(mentions, scored_mentions, self._ranked(mentions, scored_mentions, text)):
            if not ranked:
                toponyms.append(unplaced_toponym(mention) if scored.area is None else at_area(mention, scored.area))
                continue
            if (ranked[0][0].is_country or ranked[0][0].is_admin1) \
                    and all(c.place.place_id != ranked[0][0].place_id for c in scored.candidates):
                toponyms.append(at_area(mention, ranked[0][0]))  # a lone place abroad, at the note's country or region
                continue
            scores = [score for _, score in ranked]
            toponyms.append(placed_toponym(mention, ranked[0][0], softmax_share(scores, 0)))
        return place_in_enclosing_areas(place_sites(toponyms, text), text)

    def rank(self, mentions: Sequence[Mention], text: str) -> list[list[tuple[Place, float]]]:
        """For each mention, its candidate places with their scores, best first."""
        return self._ranked(mentions, self.score(mentions, text), text)

    @staticmethod
    def _ranked(mentions: Sequence[Mention], scored_mentions: Sequence[ScoredCandidates],
                text: str) -> list[list[tuple[Place, float]]]:
        ranked = [sorted(zip((c.place for c in scored.candidates), scored.scores), key=lambda pair: -pair[1])
                  for scored in scored_mentions]
        region_word = [scored.before_region_word for scored in scored_mentions]
        ranked = regions_of_reporting_over_namesake_towns(mentions, scored_mentions, ranked, text)
        ranked = article_countries_over_namesakes_abroad(mentions, ranked, text)
        ranked = lone_places_abroad_to_the_notes_countries(mentions, ranked, text)
        ranked = nearest_namesakes_at_home(mentions, ranked)
        ranked = one_sense_per_discourse(mentions, ranked, region_word)
        ranked = capitals_over_unsupported_namesake_regions(ranked, region_word)
        return short_forms_of_longer_names(mentions, ranked)

    def score(self, mentions: Sequence[Mention], text: str, passes: int = 3) -> list[ScoredCandidates]:
        """Every mention's candidates, features and scores after ``passes`` passes."""
        found = self.gazetteer.lookup_many(m.key for m in mentions if m.kind != "site")  # sites are placed apart
        forms = [WrittenForm.around(m, text) for m in mentions]
        region_word = [form.region_word for form in forms]
        # "the Black Sea region", "the Sahel region", "Latakia governorate": a region named by the
        # name and the word, when no division bears the name
        region_keys = {index: (f"{m.key} region", f"{m.key} {region_word_after(m, text) or 'region'}")
                       for index, (m, form) in enumerate(zip(mentions, forms)) if form.region_word}
        named_regions = self.gazetteer.lookup_many({key for keys in region_keys.values() for key in keys}, folded=False) \
            if region_keys else {}
        options = [usable_candidates(m, found.get(m.key, []), form,
                                      [c for key in dict.fromkeys(region_keys.get(index, ())) for c in named_regions.get(key, [])])
                   for index, (m, form) in enumerate(zip(mentions, forms))]
        options = named_divisions(mentions, options, text, self.gazetteer)
        options = areas_holding_the_name_before(mentions, options, text)
        options, at_areas = inside_written_areas(mentions, options, text)
        hints = local_country_hints(text)
        prior_features = []
        for mention, cands, word in zip(mentions, options, region_word):
            largest = max((c.place.population for c in cands), default=0)
            prior_features.append([prior_features_of(mention, c, cands, word, hints, largest) for c in cands])
        priors = [[self.model.score(f) for f in feats] for feats in prior_features]
        colocation = Colocation(mentions, options, priors)
        features, scores = prior_features, priors
        for _ in range(passes - 1):
            picks = [cands[argmax(s)].place if cands else None for cands, s in zip(options, scores)]
            context = ArticleContext(mentions, picks, text)
            features = []
            for index, (mention, cands, prior_feats) in enumerate(zip(mentions, options, prior_features)):
                if len(cands) <= 1:  # nothing to choose: the prior stands (confidence 1)
                    features.append(prior_feats)
                    continue
                around, beside = context.for_mention(index), colocation.for_name(mention.key)
                features.append([{**prior, **around.features(c.place), **beside.features(c.place)}
                                 for c, prior in zip(cands, prior_feats)])
            scores = [[self.model.score(f) for f in feats] for feats in features]
        return [ScoredCandidates(*columns) for columns in zip(options, features, scores, region_word, at_areas)]
