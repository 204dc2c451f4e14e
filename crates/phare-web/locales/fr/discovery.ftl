# Discovery: feedback, the inbox, customers, ideas, evidence, search.
