"""The static HTML report: charts of the warehouse an analyst would rather look at than read."""
