"""Pages of the calls: public list and page of a call, the applicant's form and "my applications",
the reviewer's assignments and review form, and the pole's management (calls, screening, reviewers,
ranking, decisions, outbox, exports). Thin views: a selector for what is shown, a rule before acting,
one service call per POST, the service's error next to the field it names (400)."""
