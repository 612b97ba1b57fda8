"""The administration of one space: its information, timeline, components, categories and roles.

Everything an institution's participation officer needs to compose a
participatory process, server-rendered and usable without JavaScript.
"""
